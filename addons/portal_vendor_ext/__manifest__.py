{
    "name": "Vendor Portal Extensions",
    "summary": "Vendor portal additions for purchase: vendors acknowledge confirmed purchase orders",
    "version": "18.0.1.0.0",
    "category": "Inventory/Purchase",
    "license": "LGPL-3",
    "author": "OV Suite",
    "website": "https://github.com/ov-suite/odoo-addons",
    "maintainers": ["ov-suite"],
    "depends": ["purchase", "portal", "ai_bridge_core"],
    "data": [
        "security/ir.model.access.csv",
        "data/ir_config_parameter_data.xml",
        "views/purchase_order_views.xml",
        "views/res_config_settings_views.xml",
        "views/portal_templates.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
    ],
    "development_status": "Beta",
    "installable": True,
}
