"""Domain logic of registration (views, the batch import and tests call these modules).

- ``registrations``: start, fill in, store materials, submit, approve, reject; who sees what;
- ``eligibility``: who may register for which level (plain functions over rule data);
- ``uploads``: checking uploaded materials (type, size, photo) before anything is stored;
- ``batch``: a training organisation's spreadsheet + zip registration (all-or-nothing);
- ``next_steps``: the learner's next step on the dashboard, one per state.
"""
