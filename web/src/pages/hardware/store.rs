//! The store: products an admin curates, and the orders hardware champions placed with
//! their state (ordered, shipped, delivered, cancelled), moved here.

use leptos::prelude::*;
use tenure_domain::hardware::{Order, OrderState, Product};

use super::{money, tabs};
use crate::pages::when;
use crate::{Chrome, Nav, document};

#[derive(Debug, Clone, Default)]
pub struct StorePage {
    pub products: Vec<Product>,
    pub orders: Vec<Order>,
    pub currency: String,
}

fn order_actions(chrome: &Chrome, o: &Order) -> impl IntoView + use<> {
    if !o.state.is_open() {
        return view! { <span class="muted">"—"</span> }.into_any();
    }
    let action = format!("/hardware/orders/{}", o.id);
    let shipped = matches!(o.state, OrderState::Shipped { .. });
    view! {
        <details>
            <summary>"Update"</summary>
            {(!shipped).then(|| view! {
                <form method="post" action=action.clone()>
                    {chrome.csrf_field()}
                    <input type="hidden" name="action" value="shipped"/>
                    <label>"Tracking (optional)" <input name="tracking" type="text"/></label>
                    <button type="submit">"Shipped"</button>
                </form>
            })}
            <form method="post" action=action.clone()>
                {chrome.csrf_field()}
                <input type="hidden" name="action" value="delivered"/>
                <label>"Serial number" <input name="serial" type="text" required/></label>
                <label>"Asset tag (optional)" <input name="tag" type="text"/></label>
                <button type="submit">"Delivered: assign it"</button>
            </form>
            <form method="post" action=action>
                {chrome.csrf_field()}
                <input type="hidden" name="action" value="cancel"/>
                <label>"Why cancelled" <input name="reason" type="text" required/></label>
                <button type="submit" class="danger">"Cancel order"</button>
            </form>
        </details>
    }
    .into_any()
}

pub fn store_page(chrome: &Chrome, p: StorePage) -> String {
    let products =
        p.products
            .iter()
            .map(|pr| {
                let link = pr.link.clone().map(
                    |l| view! { <a href=l rel="noopener noreferrer" target="_blank">"link"</a> },
                );
                view! {
                    <tr>
                        <td>{pr.id.clone()}</td>
                        <td>{pr.model.clone()}</td>
                        <td>{pr.specs.clone()}</td>
                        <td>{money(pr.price_cents, &p.currency)}</td>
                        <td>{format!("{} <{}>", pr.supplier, pr.supplier_email)}</td>
                        <td>{link}</td>
                    </tr>
                }
            })
            .collect_view();
    let orders = p
        .orders
        .iter()
        .map(|o| {
            view! {
                <tr>
                    <td>{o.id.0.clone()}</td>
                    <td>{when(o.created_at)}</td>
                    <td><a href=format!("/employees/{}", o.employee.id)>{o.employee.name.clone()}</a></td>
                    <td>{o.product.model.clone()}</td>
                    <td>{o.state.words()}</td>
                    <td>{order_actions(chrome, o)}</td>
                </tr>
            }
        })
        .collect_view();
    let admin_form = chrome.admin.then(|| view! {
        <details class="card">
            <summary>"Add or change a product (same key replaces it; an empty model removes it)"</summary>
            <form method="post" action="/hardware/store/products">
                {chrome.csrf_field()}
                <label for="pid">"Key (e.g. mbp14)"</label><input id="pid" name="id" type="text" required/>
                <label for="pmodel">"Model"</label><input id="pmodel" name="model" type="text"/>
                <label for="pspecs">"Specs"</label><input id="pspecs" name="specs" type="text"/>
                <label for="pprice">{format!("Price in {}", p.currency)}</label><input id="pprice" name="price" type="text" inputmode="decimal"/>
                <label for="psupplier">"Supplier"</label><input id="psupplier" name="supplier" type="text"/>
                <label for="pemail">"Supplier's email (purchase requests go there)"</label><input id="pemail" name="supplier_email" type="email"/>
                <label for="plink">"Link (optional)"</label><input id="plink" name="link" type="url"/>
                <div class="actions"><button type="submit">"Save product"</button></div>
            </form>
        </details>
    });
    let body = view! {
        {tabs("store", chrome.admin)}
        <div class="card">
            <h2>"Products"</h2>
            {if p.products.is_empty() {
                view! { <p class="muted">"No products yet. An admin adds them below; hardware champions order them from Equip New Hire."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap"><table aria-label="Products">
                        <thead><tr><th>"Key"</th><th>"Model"</th><th>"Specs"</th><th>"Price"</th><th>"Supplier"</th><th></th></tr></thead>
                        <tbody>{products}</tbody>
                    </table></div>
                }.into_any()
            }}
        </div>
        {admin_form}
        <div class="card">
            <h2>"Orders"</h2>
            <p class="muted">"Each order is emailed to its supplier as a purchase request. Mark it shipped and delivered as the supplier does; on delivery the device is added to inventory and assigned."</p>
            <div class="table-wrap"><table aria-label="Orders">
                <thead><tr><th>"Order"</th><th>"Placed"</th><th>"For"</th><th>"Product"</th><th>"State"</th><th></th></tr></thead>
                <tbody>{orders}</tbody>
            </table></div>
        </div>
    };
    document(Some(chrome), Nav::Hardware, "Store", body)
}
