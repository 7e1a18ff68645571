from . import billing_line_change
