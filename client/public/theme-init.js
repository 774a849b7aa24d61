// Applies the saved colour theme before the first paint, so a light screen never flashes dark on
// load. A classic script in <head> (the server's Content-Security-Policy allows no inline script);
// the same key and values as client/src/lib/theme.svelte.ts, which keeps the choice afterwards.
try {
  if (localStorage.getItem('ecmo.theme') === 'light') document.documentElement.dataset.theme = 'light';
} catch {
  // Storage forbidden: the default, dark.
}
