"""Admin titles written whole, so that each language can decline the name.

Django builds "Change %s" from the model's name as it is ("Изменить организация"); Russian needs
another case ("Изменить организацию", "Выберите делегата для изменения"). An admin with this
mixin names its titles in `titles`; the ones it leaves out stay Django's.
"""

from django.contrib.admin.utils import unquote


class DeclinedTitlesMixin:
    # Keys: "select" (the list), "select_view" (the list, read only), "add", "change", "view".
    titles = {}

    def changelist_view(self, request, extra_context=None):
        key = "select" if self.has_change_permission(request) else "select_view"
        extra = {}
        if key in self.titles:
            extra["title"] = self.titles[key]
        if "add" in self.titles:
            extra["add_label"] = self.titles["add"]
        return super().changelist_view(request, extra_context={**extra, **(extra_context or {})})

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id is None:
            key = "add"
        else:
            obj = self.get_object(request, unquote(object_id))
            key = "change" if self.has_change_permission(request, obj) else "view"
        extra = {"title": self.titles[key]} if key in self.titles else {}
        return super().changeform_view(
            request, object_id, form_url, extra_context={**extra, **(extra_context or {})}
        )
