"""Pure computations of this module: no Odoo import here, unit-tested without a database."""
