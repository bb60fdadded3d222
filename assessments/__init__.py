"""The annual assessment (plan section 四(四)): scoring schemes, runs, explainable unit scores, exports."""
