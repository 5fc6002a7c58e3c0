"""People: participants and their mentors, the skills-and-ambition inventory and its wizard, profile
checks, and cohort files (reading, importing, exporting)."""
