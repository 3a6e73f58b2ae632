"""Public lookup and verify pages: ways in, masking, status, generic message, rate limit."""

import re

import pytest
from django.utils import timezone

from cert_plugin import services
from cert_plugin.models import Certificate

LOOKUP = "/certificates/lookup/"
GENERIC = "没有与您输入的信息相符的证书"


def post(client, **data):
    return client.post(LOOKUP, data)


def not_found_block(html):
    match = re.search(r'<p class="card cert-not-found".*?</p>', html, re.S)
    return match.group(0) if match else None


def test_lookup_by_number_alone(client, issued_certificate):
    response = post(client, mode="number", number=issued_certificate.number.lower())
    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-number="{issued_certificate.number}"' in html
    assert "张三丰" in html and "综合能源服务专业技能人才（初级）" in html and "有效" in html


def test_lookup_by_id_and_name_and_by_phone_and_name(client, issued_certificate):
    learner = issued_certificate.learner
    html = post(client, mode="document", document_number=learner.document_number.lower(), name="张 三丰").content.decode()
    assert issued_certificate.number in html
    html = post(client, mode="phone", phone="+86 138-1234-5678", name="张三丰").content.decode()
    assert issued_certificate.number in html


def test_id_or_phone_without_the_name_finds_nothing(client, issued_certificate):
    learner = issued_certificate.learner
    response = post(client, mode="document", document_number=learner.document_number)
    html = response.content.decode()
    assert response.status_code == 400
    assert issued_certificate.number not in html
    assert "此查询方式需要填写这一项" in html
    response = post(client, mode="phone", phone="13812345678", name="")
    assert issued_certificate.number not in response.content.decode()


def test_personal_numbers_are_masked(client, issued_certificate):
    learner = issued_certificate.learner
    html = post(client, mode="number", number=issued_certificate.number).content.decode()
    assert learner.document_number not in html
    assert learner.document_number[:3] + "*" * 11 + learner.document_number[-4:] in html
    assert "13812345678" not in html and "138****5678" in html


def test_unknown_input_gets_one_generic_message(client, issued_certificate):
    learner = issued_certificate.learner
    number = issued_certificate.number
    wrong_check = number[:-1] + ("0" if number[-1] != "0" else "1")
    attempts = [
        {"mode": "number", "number": wrong_check},
        {"mode": "number", "number": "CECAES2026ABCDEFGHJK" + "Z"},
        {"mode": "number", "number": "nonsense"},
        {"mode": "document", "document_number": learner.document_number, "name": "李四"},
        {"mode": "document", "document_number": "110105199003071999", "name": "张三丰"},
        {"mode": "phone", "phone": "13900000000", "name": "张三丰"},
        {"mode": "phone", "phone": "13812345678", "name": "张三"},
    ]
    blocks = set()
    for data in attempts:
        response = post(client, **data)
        assert response.status_code == 200
        html = response.content.decode()
        assert number not in html and GENERIC in html
        blocks.add(not_found_block(html))
    assert len(blocks) == 1  # the same words whatever was wrong


def test_lookups_are_rate_limited_per_client(client, issued_certificate, settings):
    settings.CERT_PLUGIN_LOOKUP_RATE = "3/m"
    for _ in range(3):
        assert post(client, mode="number", number="X").status_code == 200
    limited = post(client, mode="number", number=issued_certificate.number)
    assert limited.status_code == 429
    assert issued_certificate.number not in limited.content.decode()
    assert "查询次数过多" in limited.content.decode()
    # Another client (address) is not affected.
    other = client.post(LOOKUP, {"mode": "number", "number": issued_certificate.number}, REMOTE_ADDR="10.9.8.7")
    assert other.status_code == 200 and issued_certificate.number in other.content.decode()


def test_revoked_certificate_shows_date_and_reason(client, issued_certificate):
    services.revoke(issued_certificate, reason="证书信息造假")
    html = client.get(f"/certificates/verify/{issued_certificate.number}/").content.decode()
    assert "已撤销" in html and "证书信息造假" in html
    assert f"{timezone.localdate():%Y-%m-%d}" in html
    assert 'data-status="revoked"' in html


def test_reissued_certificate_points_to_the_new_one(client, issued_certificate):
    new = services.reissue(issued_certificate)
    html = client.get(f"/certificates/verify/{issued_certificate.number}/").content.decode()
    assert 'data-status="replaced"' in html and f"/certificates/verify/{new.number}/" in html
    html = post(client, mode="document", document_number=issued_certificate.document_number, name="张三丰").content.decode()
    assert html.count("cert-record") == 2  # the history: replaced and the valid one


def test_verify_url_shows_every_field_and_unknown_is_404(client, issued_certificate):
    response = client.get(f"/certificates/verify/{issued_certificate.number}/")
    html = response.content.decode()
    assert response.status_code == 200
    for value in ("张三丰", "综合能源服务专业技能人才", "初级", "中国节能协会", issued_certificate.number,
                  f"{issued_certificate.issue_date:%Y-%m-%d}", f"{issued_certificate.class_hours}"):
        assert value in html
    assert client.get("/certificates/verify/CECAES2026ABCDEFGHJKZ/").status_code == 404


@pytest.mark.parametrize("path", ["/certificates/lookup/", "/certificates/verify/X/"])
def test_public_pages_need_no_login(client, site_data, path):
    assert client.get(path).status_code in (200, 404)


def test_lookup_form_is_csrf_protected(site_data, issued_certificate):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(LOOKUP, {"mode": "number", "number": issued_certificate.number}).status_code == 403
    assert Certificate.objects.count() == 1
