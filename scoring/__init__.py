"""The ICC Index self-check: the model as data, pure scoring, city facts, mentors and the chart.

`model` loads and validates the versioned questionnaire, `score` turns answers into a labelled
estimate, `cities` holds the sourced city facts (and official imports), `mentors` picks cities to
learn from, `charts` draws the result. Nothing here imports `bot` or `retrieval`.
"""
