"""Views of the events app, by audience: the public pages of events, agendas, sessions and
speakers (`public`), and a member organization's delegates under /my/ (`delegates`)."""
