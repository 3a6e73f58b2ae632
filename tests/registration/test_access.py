"""A learner never reaches another learner's registration or files; anonymous visitors
are sent to log in. Covers every object-scoped URL of the registration app."""

from django.urls import reverse

from course_content.registration.models import Material

OBJECT_URLS = ["registration:detail", "registration:print"]  # + eligibility (POST) and each file


def object_urls(registration):
    urls = [reverse(name, args=[registration.pk]) for name in OBJECT_URLS]
    urls.append(reverse("registration:eligibility", args=[registration.pk]))
    urls += [reverse("registration:material", args=[m.pk]) for m in registration.materials.all()]
    return urls


def test_every_material_kind_is_covered(submitted):
    assert submitted.materials.count() >= 5


def test_other_learner_gets_404_everywhere(client, submitted, other_learner):
    urls = object_urls(submitted)
    assert len(urls) == 3 + submitted.materials.count()
    client.force_login(other_learner)
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"real_name": "x"}).status_code in (403, 404), url
    submitted.refresh_from_db()
    assert submitted.real_name == "王小明"


def test_anonymous_is_sent_to_login_everywhere(client, submitted):
    for url in object_urls(submitted):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login")), url


def test_owner_and_reviewer_see_the_files(client, submitted, candidate, reviewer):
    photo = submitted.materials.get(kind=Material.Kind.PHOTO)
    url = reverse("registration:material", args=[photo.pk])
    for user in (candidate, reviewer):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"] == "private, no-store"
        assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_files_live_outside_the_web_root(submitted, settings):
    from pathlib import Path

    path = Path(submitted.materials.first().file.path).resolve()
    assert Path(settings.PRIVATE_MEDIA_ROOT).resolve() in path.parents
    assert Path(settings.MEDIA_ROOT).resolve() not in path.parents
    assert Path(settings.STATIC_ROOT).resolve() not in path.parents


def test_other_learner_does_not_list_it(client, submitted, other_learner):
    client.force_login(other_learner)
    assert submitted.real_name not in client.get(reverse("registration:index")).content.decode()


def test_other_organisation_gets_404(client, submitted, make_learner):
    from course_content.registration.models import TrainingOrganisation

    mine = TrainingOrganisation.objects.create(name="甲机构")
    theirs = TrainingOrganisation.objects.create(name="乙机构")
    submitted.organisation = mine
    submitted.save()
    outsider = make_learner(real_name="乙机构账号")
    theirs.members.add(outsider)
    client.force_login(outsider)
    for url in object_urls(submitted):
        assert client.get(url).status_code == 404
    assert client.get(reverse("registration:organisation", args=[mine.pk])).status_code == 404
    assert client.get(reverse("registration:batch_template", args=[mine.pk])).status_code == 404
    member = make_learner(real_name="甲机构账号")
    mine.members.add(member)
    client.force_login(member)
    viewable = [url for url in object_urls(submitted) if "/eligibility/" not in url]
    assert all(client.get(url).status_code == 200 for url in viewable)


def test_review_admin_needs_the_permission(client, submitted, other_learner, reviewer):
    urls = [reverse("registration_admin:queue"), reverse("registration_admin:review", args=[submitted.pk])]
    client.force_login(other_learner)
    for url in urls:
        assert client.get(url).status_code in (302, 403)
    assert client.post(urls[1], {"decision": "approve"}).status_code in (302, 403)
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    client.force_login(reviewer)
    assert all(client.get(url).status_code == 200 for url in urls)
