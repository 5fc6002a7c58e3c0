"""About the suggestion model: its model card (training data, features, cross-validation, calibration,
library versions, date), in the reader's language."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

import ui
from incubator.core.i18n import N_
from incubator.suggestions import features, model

me = ui.signed_in()
ui.page_header(ui.t("About the suggestion model"))
card = model.load_card(actor=me)

data = card["training_data"]
st.markdown(ui.t("The model estimates the chance that a venture is launched and still running after 12 months. "
                 "Its estimates are material for a conversation between a newcomer and a mentor, never a verdict."))
if data["source"] == "synthetic":
    st.warning(ui.t("It was trained on synthetic data from a generator calibrated to published figures, until the "
                    "programme's own outcomes replace it. Every score it gives is an estimate from synthetic data."))
else:
    st.info(ui.t("It was trained on {rows} outcomes recorded by the programme.", rows=ui.format_number(data["rows"])))
st.caption(ui.t("Version {version}, trained on {date}.", version=card["version"], date=card["date"]))

names = {"logistic_regression": ui.t("Logistic regression"), "gradient_boosting": ui.t("Gradient boosting (monotonic)")}
st.subheader(ui.t("Two models compared by cross-validation ({folds} folds)", folds=card["cross_validation_folds"]))
st.dataframe(pd.DataFrame([{
    ui.t("Model"): names.get(name, name) + (" ✓" if name == card["chosen"] else ""),
    ui.t("ROC AUC (higher is better)"): round(r["roc_auc"], 3),
    ui.t("Brier score (lower is better)"): round(r["brier"], 4),
    ui.t("Keeps the monotonic rules"): ui.t("yes") if r["monotonic"] else ui.t("no"),
} for name, r in card["candidates"].items()]), hide_index=True)
st.caption(ui.t("Monotonic rules: more matching skill never lowers a score; a larger language or capital gap never raises it."))

calibration = card["candidates"][card["chosen"]]["calibration"]
st.subheader(ui.t("Calibration: estimated against observed"))
# Observed against estimated, with the diagonal a perfectly calibrated model would follow.
observed, perfect = ui.t("Observed share"), ui.t("Perfect calibration")
# Plotly, as every other chart of the app: st.line_chart's empty hover layer is an SVG group with the
# role of an image and no text (axe: svg-img-alt, serious), which the app cannot label.
calibration_chart = go.Figure([
    go.Scatter(x=calibration["predicted"], y=calibration["observed"], name=observed, mode="lines+markers"),
    go.Scatter(x=calibration["predicted"], y=calibration["predicted"], name=perfect, mode="lines",
               line={"dash": "dash"})])
calibration_chart.update_layout(height=260, margin={"l": 10, "r": 10, "t": 10, "b": 10},
                                xaxis_title=ui.t("Estimated chance (model)"),
                                yaxis_title=ui.t("Observed share that launched and still ran"))
st.plotly_chart(calibration_chart, key="model_card.calibration")

if "calibration_report" in data:
    st.subheader(ui.t("The generator against published figures"))
    st.dataframe(pd.DataFrame([{
        ui.t("Figure"): ui.t(row["message"], **row["params"]), ui.t("Published"): ui.format_share(row["expected"]),
        ui.t("Generated"): ui.format_share(row["generated"]), ui.t("Difference (points)"): row["difference_pp"],
    } for row in data["calibration_report"]]), hide_index=True)

rules = {1: N_("never lowers the score"), -1: N_("never raises the score"), 0: N_("no rule")}
st.subheader(ui.t("What the model looks at"))
labels = {f.name: f.label for f in features.FEATURES}
st.dataframe(pd.DataFrame([{
    ui.t("Feature"): ui.t(labels.get(f["name"], f["name"])), ui.t("More of it"): ui.t(rules[f["monotonic"]]),
} for f in card["features"]]), hide_index=True)
st.markdown(ui.t("Never used: nationality, ethnicity, religion, gender, age or country of origin. Ventures of ethnic "
                 "entrepreneurship match on the languages, cultural skills and network a person declares, never on origin."))

if "previous" in card:
    previous = card["previous"]
    st.subheader(ui.t("Compared with the previous model"))
    st.markdown(ui.t("Previous model {version}: on the same data ROC AUC {auc}, Brier score {brier}.",
                     version=previous["version"], auc=round(previous["on_this_data"]["roc_auc"] or 0, 3),
                     brier=round(previous["on_this_data"]["brier"], 4)))
st.caption(ui.t("Libraries: {libraries}", libraries=", ".join(f"{k} {v}" for k, v in card["libraries"].items())))
