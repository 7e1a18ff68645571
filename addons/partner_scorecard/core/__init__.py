"""Pure computations of the partner scorecard: no Odoo import here, unit-tested without a database."""
