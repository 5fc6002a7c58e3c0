"""Every wizard question and every answer scale carries a pictogram from the Material Symbols font that
Streamlit bundles (an emoji shows as a box on a device without an emoji font)."""

from __future__ import annotations

from streamlit.material_icon_names import ALL_MATERIAL_ICONS

from incubator.people import inventory as inv
from incubator.people import wizard


def _every_question() -> list[wizard.Question]:
    return [q for step in inv.STEPS for q in wizard.questions(step, year=2026)]


def test_every_question_has_a_material_symbol():
    questions = _every_question()
    assert len(questions) > 40
    missing = [q.key for q in questions if q.pictogram not in ALL_MATERIAL_ICONS]
    assert missing == []


def test_every_point_of_every_scale_has_a_material_symbol():
    scale_lists = {q.options for q in _every_question() if q.kind in ("scale", "yes_no")}
    assert scale_lists == {"life", "yes_no", "scale_like", "scale_true", "scale_sure"}
    for name in scale_lists:
        pictograms = wizard.PICTOGRAMS[name]
        assert set(pictograms) == set(wizard.FIXED_CHOICES[name]), name
        assert all(icon in ALL_MATERIAL_ICONS for icon in pictograms.values()), name
        labels = wizard.choice_labels(name, str.upper, lambda icon: f":material/{icon}:")
        assert all(label.count(":material/") == 1 for label in labels.values()), name


def test_the_faces_go_from_unhappy_to_happy_beside_the_words():
    labels = wizard.choice_labels("life", str, lambda icon: f"[{icon}]")
    assert labels[1] == "1 [sentiment_very_dissatisfied]" and labels[5] == "5 [sentiment_very_satisfied]"
    assert wizard.choice_labels("yes_no", str.upper, lambda icon: f"[{icon}]")[True] == "[check_circle] YES"
