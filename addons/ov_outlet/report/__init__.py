from . import ov_outlet_sale_report
