"""A URLconf with one failing view, filled in by the test that needs a real 500."""

urlpatterns = []
