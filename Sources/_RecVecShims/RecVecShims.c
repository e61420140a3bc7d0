// Intentionally empty: the shims are inline functions in include/RecVecShims.h.
