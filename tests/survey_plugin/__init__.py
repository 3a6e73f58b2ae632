"""A post-exam survey: the example plugin that docs/plugins.md builds step by step.

After a learner hands in a formal exam, a short survey (rating 1–5 and a comment) appears
at ``/programs/<program>/survey/``; the exam office reads the answers at
``/programs/<program>/survey/results/``. Everything lives in this folder; the only
registration point is INSTALLED_APPS (here: cms_site/settings/test.py; a pip-installed
plugin uses the ``certplatform.plugins`` entry point instead).
"""
