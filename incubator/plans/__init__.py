"""Business plans: the lean canvas and the ondernemingsplan, the 24-month financial forecast,
funding routes and the bilingual take-home plan."""
