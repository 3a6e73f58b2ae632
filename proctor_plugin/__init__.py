"""Proctoring: face checks, exam-room rules, snapshots, second camera, console."""
