"""Views of registration, by caller (thin: the rules are in ``services``).

- ``learner``: the candidate's registration pages (also opened by their organisation);
- ``org``: a training organisation's candidates, batch upload and password resets;
- ``admin``: the reviewers' queue in the Wagtail admin.
"""
