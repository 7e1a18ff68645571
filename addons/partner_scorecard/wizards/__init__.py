from . import partner_metric_import
