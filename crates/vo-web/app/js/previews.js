// Preview images loaded as they scroll into view, a few at a time: a package lists dozens,
// and the server answers 429 to a client with more than its share of requests in flight
// (then this waits as Retry-After says and asks again).

const AT_ONCE = 3;
const MOST_TRIES = 6;
let loading = 0;
const waiting = [];

const observer = new IntersectionObserver((entries) => {
  for (const entry of entries) {
    if (!entry.isIntersecting) continue;
    observer.unobserve(entry.target);
    waiting.push(entry.target);
  }
  pump();
}, { rootMargin: '300px' });

function pump() {
  while (loading < AT_ONCE && waiting.length) {
    const img = waiting.shift();
    load(img, Number(img.dataset.tries || 0) + 1);
  }
}

async function load(img, attempt) {
  loading += 1;
  let retry = 0;
  try {
    const response = await fetch(img.dataset.src);
    if (response.status === 429 && attempt < MOST_TRIES) {
      retry = Math.max(1, Number(response.headers.get('Retry-After')) || 1);
    } else if (!response.ok) {
      img.alt = `no preview: HTTP ${response.status}`;
      img.classList.add('failed');
    } else {
      img.src = URL.createObjectURL(await response.blob());
    }
  } catch (e) {
    img.alt = `no preview: ${e.message}`;
    img.classList.add('failed');
  } finally {
    loading -= 1;
    if (retry) {
      img.dataset.tries = String(attempt);
      setTimeout(() => { waiting.unshift(img); pump(); }, retry * 1000 * attempt);
    }
    pump();
  }
}

/** Shows the preview at `url` in `img` once it is near the screen. */
export function lazyPreview(img, url) {
  img.dataset.src = url;
  observer.observe(img);
}
