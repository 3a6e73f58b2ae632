"""Registration for a (program, level): form, materials, eligibility, review queue."""
