"""The project package's own views (the apps have theirs).

- ``health``: ``/healthz`` for load balancers and the run script
- ``errors``: ``handler400`` (a body over the upload limit is a 413)
"""
