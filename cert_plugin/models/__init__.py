"""Certificates and the plugin's own record of what a certificate is issued on.

The plugin never imports the exam plugin: it keeps its own ``ExamPass`` rows, written by
the receivers of the core ``exam_passed`` / ``exam_result_invalidated`` signals, and its
own ``HolderPhoto`` rows from ``registration_approved``.
"""

from .certificates import Certificate
from .passes import ExamPass, HolderPhoto

__all__ = ["Certificate", "ExamPass", "HolderPhoto"]
