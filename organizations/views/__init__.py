"""Views of the organizations app, by audience: the public directory (`directory`) and the
CSO's own registration and dashboard (`registration`)."""
