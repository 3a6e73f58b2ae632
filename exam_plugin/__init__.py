"""Exams: question bank, papers, mock tests, formal exams, grading, results."""
