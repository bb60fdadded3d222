"""Schools' yearly figures, the plan's resource indicators per school part, compliance and difference coefficients."""
