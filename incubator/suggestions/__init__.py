"""Venture suggestions: features, the synthetic outcome generator, the model, ranking with reasons,
and what people do with suggestions (ideas, set-asides, the chosen venture)."""
