import pytest
from django.core.management import call_command
from wagtail.models import Collection, Page


@pytest.mark.django_db(transaction=True)
def test_after_flush_roots_are_recreated(site_data):
    call_command("flush", interactive=False, verbosity=0)
    assert Page.get_first_root_node() is None
    call_command("load_initial_data", verbosity=0)
    assert Page.get_first_root_node() is not None and Collection.get_first_root_node() is not None
    from django.test import Client
    assert Client().get("/programs/energy/").status_code == 200
