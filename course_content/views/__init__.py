"""Views of the learning core, thin: parse, call a service, render.

- ``learner``: the learner's dashboard ("My learning").
- ``media``: lesson videos served with HTTP Range support.
- ``admin``: Wagtail admin screens of enrolments and study hours (registered in ``wagtail_hooks``).
- ``curriculum_admin``: Wagtail admin curriculum export and import (registered in ``wagtail_hooks``).
"""
