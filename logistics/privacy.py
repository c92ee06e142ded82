"""Who sees passport data: organizers, and the delegate's own organization in /my/.

Country coordinators do not, unless an organizer gives them the permission "Can see passport
data" (logistics.view_passport_data). Nothing else shows it: not the delegates' list or exports,
not the history, not the check-in page; only the letter and the rooming list.
"""


def can_view_passport_data(user):
    return bool(user and user.is_active and user.has_perm("logistics.view_passport_data"))
