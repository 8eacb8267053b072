/** @odoo-module **/

// Portal quotation request form (/my/quotation-request): add and remove rows, and find catalog products while
// typing. Plain DOM code: without it the form still works with its initial rows.

const SEARCH_DELAY = 250; // ms after the last keystroke

function addRow(button) {
    const template = document.getElementById(button.dataset.template);
    const tbody = document.querySelector(`#${button.dataset.target} tbody`);
    if (template && tbody) {
        const row = template.content.firstElementChild.cloneNode(true);
        tbody.appendChild(row);
        row.querySelector("input:not([type=hidden])")?.focus();
    }
}

function removeRow(button) {
    button.closest("tr")?.remove();
}

let searchTimer = null;
let lastResults = [];

async function searchProducts(input) {
    const hidden = input.closest("td").querySelector("input[name=product_id]");
    const chosen = lastResults.find((product) => product.name === input.value);
    if (chosen) {
        hidden.value = chosen.id;
        return;
    }
    hidden.value = "";
    clearTimeout(searchTimer);
    searchTimer = setTimeout(async () => {
        const response = await fetch(`/my/quotation-request/products?q=${encodeURIComponent(input.value)}`);
        if (!response.ok) {
            return;
        }
        lastResults = await response.json();
        const list = document.getElementById("o_pce_product_list");
        list.replaceChildren(
            ...lastResults.map((product) => {
                const option = document.createElement("option");
                option.value = product.name;
                return option;
            })
        );
    }, SEARCH_DELAY);
}

function setup() {
    const form = document.getElementById("pce_quotation_request_form");
    if (!form) {
        return;
    }
    const root = form.closest(".o_pce_quotation_request");
    root.addEventListener("click", (event) => {
        const add = event.target.closest(".o_pce_add_row");
        const remove = event.target.closest(".o_pce_remove_row");
        if (add) {
            addRow(add);
        } else if (remove) {
            removeRow(remove);
        }
    });
    root.addEventListener("input", (event) => {
        if (event.target.classList.contains("o_pce_product_search")) {
            searchProducts(event.target);
        }
    });
}

if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
} else {
    setup();
}
