from . import governance_gate_waiver_wizard
