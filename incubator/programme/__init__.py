"""Programme tracking: cohorts, mentor matching, the session log, milestones per venture, co-creation
notes, outcomes, the workshop view, progress on the participation ladder and the life domains, and a
synthetic demo workspace. Above incubator.plans in the layers (a milestone can point at a plan
section and takes over the funding checklist's keys); below the command line."""
