"""JSON Merge Patch (RFC 7396), a pure function."""


def merge_patch(target, patch):
    """Apply `patch` to `target` as RFC 7396 says: objects merge, null removes, else replace."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result
