"""The control every bench scores: the H20-style licence of the July 2025 reversal."""

CONTROL = {
    "name": "Licence H20-class chips for China",
    "direction": "loosen",
    "instrument": "license_approval",
    "layers": ["inference_chips"],
    "reach": ["china_market"],
    "linked_to_negotiations": True,
    "chips": ["nvidia-h20"],
}
