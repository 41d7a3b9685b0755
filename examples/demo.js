// The demo site: a tiny single-page shop, so SPA page views, clicks, forms
// and conversions all happen the way they would on a real site.
const views = {
  '/': () => `
    <section class="hero">
      <h1>Gear that makes the trail easy</h1>
      <p>Boots, packs and shells, tested on real mountains.</p>
      <a class="button" href="/shop" data-route>Browse the shop</a>
    </section>`,
  '/shop': () => `
    <h1>Shop</h1>
    <ul class="grid">
      ${[['Ridge boots', 149], ['Summit pack 30L', 119], ['Storm shell', 229]]
        .map(([name, price]) => `<li class="card"><h2>${name}</h2><p>€${price}</p><button type="button" class="add" data-name="${name}" data-price="${price}">Add to cart</button></li>`)
        .join('')}
    </ul>`,
  '/checkout': () => `
    <h1>Checkout</h1>
    <form id="checkout" class="form">
      <label>Email <input name="email" type="email" autocomplete="email" required /></label>
      <label>Card number <input name="card" inputmode="numeric" autocomplete="cc-number" /></label>
      <button type="submit" class="button">Place order</button>
    </form>
    <p id="done" hidden>Thank you! Your order is on its way.</p>`,
  '/contact': () => `
    <h1>Contact</h1>
    <form id="contact" class="form">
      <label>Your email <input name="email" type="email" /></label>
      <label>Message <textarea name="message" rows="4"></textarea></label>
      <button type="submit" class="button">Send</button>
    </form>`,
};

const render = () => {
  const view = views[location.pathname] ?? (() => '<h1>Not found</h1>');
  document.querySelector('#view').innerHTML = view();
  document.title = `${document.querySelector('h1')?.textContent ?? 'Acme'} — Acme Outfitters`;
};

let cart = [];
document.addEventListener('click', (e) => {
  const link = e.target.closest('a[data-route]');
  if (link) {
    e.preventDefault();
    history.pushState({}, '', link.getAttribute('href'));
    render();
    return;
  }
  const add = e.target.closest('button.add');
  if (add) {
    cart.push({ name: add.dataset.name, price: Number(add.dataset.price) });
    window.touchpoint?.track('Product Added', { name: add.dataset.name, price: Number(add.dataset.price), currency: 'EUR' });
  }
});
document.addEventListener('submit', (e) => {
  e.preventDefault();
  if (e.target.id === 'checkout') {
    const revenue = cart.reduce((s, i) => s + i.price, 0) || 149;
    window.touchpoint?.track('Order Completed', { revenue, currency: 'EUR', items: cart.length || 1 });
    cart = [];
    document.querySelector('#done').hidden = false;
  }
});
addEventListener('popstate', render);
render();
