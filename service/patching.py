"""JSON patches, pure functions: JSON Merge Patch (RFC 7396) applied by PATCH writes, and the
JSON Patch (RFC 6902) between two versions' bodies, with old values, that the diff answers."""

import copy

import jsonpatch
import jsonpointer


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


def annotated_patch(old: dict, new: dict) -> list[dict]:
    """RFC 6902 operations from old to new (add/remove/replace only), each remove and replace
    carrying the value it takes away as `old`.

    A patch's paths address the document as the operations before have left it (removing
    /list/0 shifts /list/1 to /list/0), so each old value is resolved in that intermediate
    document, not in the original.
    """
    operations = jsonpatch.JsonPatch.from_diff(old, new, optimization=False).patch
    current = copy.deepcopy(old)
    annotated = []
    for operation in operations:
        if operation["op"] not in ("add", "remove", "replace"):
            raise ValueError(f"unexpected patch operation {operation['op']!r}")
        entry = dict(operation)
        if operation["op"] in ("remove", "replace"):
            entry["old"] = copy.deepcopy(jsonpointer.resolve_pointer(current, operation["path"]))
        annotated.append(entry)
        current = jsonpatch.JsonPatch([copy.deepcopy(operation)]).apply(current, in_place=True)
    return annotated
