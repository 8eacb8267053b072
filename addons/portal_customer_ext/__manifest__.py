{
    "name": "Customer Portal Extensions",
    "summary": "Customer portal additions for sales: reorder a confirmed order as a new quotation",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "license": "LGPL-3",
    "author": "OV Suite",
    "website": "https://github.com/ov-suite/odoo-addons",
    "maintainers": ["ov-suite"],
    "depends": ["sale_management", "sale_stock", "portal", "ai_bridge_core", "messaging_router"],
    "external_dependencies": {"python": ["rapidfuzz", "numpy"]},
    "data": [
        "security/ir.model.access.csv",
        "data/ir_config_parameter_data.xml",
        "views/sale_order_views.xml",
        "views/res_config_settings_views.xml",
        "views/portal_templates.xml",
    ],
    "demo": [
        "demo/sale_order_demo.xml",
    ],
    "development_status": "Beta",
    "installable": True,
}
