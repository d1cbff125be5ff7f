"""Pure rules of the training service (no Django): deadlines and the request lifecycle table."""
