"""Compares ways of comparing images by morphology on demo archives: the index's own
(hand-built features, standardised and weighted), the same features unweighted, weighted by
how little turning and rescaling move each (self-supervised), and a linear encoder learnt by
contrastive training on turned, mirrored, shifted and rescaled copies (InfoNCE, as in
self-supervised image similarity, but over the features rather than the pixels).

The data come from `cargo run --release -p vo-similarity --example demo_features -- SEED DIR`
(one run per seed). Prints precision@10 per class (of each image's ten most similar, the
share of its own class; the classes are the demo manifest's) for each way and seed.

    python conformance/similarity/encoders.py DIR SEED [SEED ...]
"""

import sys

import numpy as np


def load(path, first=str):
    rows = [line.rstrip("\n").split("\t") for line in open(path) if line.strip()]
    return np.array([first(r[0]) for r in rows]), np.array(
        [[float(x) for x in r[1:]] for r in rows]
    )


def precision_at_10(classes, vectors):
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    similarity = unit @ unit.T
    np.fill_diagonal(similarity, -np.inf)
    out = {}
    for c in np.unique(classes):
        mine = np.where(classes == c)[0]
        if len(mine) < 2:
            continue
        hits = [
            (classes[np.argsort(-similarity[i])[:10]] == c).sum() / min(10, len(mine) - 1)
            for i in mine
        ]
        out[c] = float(np.mean(hits))
    return out


def contrastive(z, original_of, z_copies, dim=32, tau=0.1, steps=300, seed=0):
    """A linear map trained so that each copy lies nearest its own original (InfoNCE over
    batches of 256 copies, the other originals in the batch as negatives)."""
    rng = np.random.default_rng(seed)
    w = rng.normal(0, 1 / np.sqrt(z.shape[1]), (z.shape[1], dim))
    for _ in range(steps):
        batch = rng.permutation(len(original_of))[:256]
        a, p = z_copies[batch], z[original_of[batch]]
        ha, hp = a @ w, p @ w
        na, npos = np.linalg.norm(ha, axis=1, keepdims=True), np.linalg.norm(hp, axis=1, keepdims=True)
        ua, up = ha / na, hp / npos
        logits = ua @ up.T / tau
        same = original_of[batch][:, None] == original_of[batch][None, :]
        logits = np.where(same & ~np.eye(len(batch), dtype=bool), -1e9, logits)
        logits -= logits.max(1, keepdims=True)
        prob = np.exp(logits)
        prob /= prob.sum(1, keepdims=True)
        g = (prob - np.eye(len(batch))) / tau / len(batch)
        gua, gup = g @ up, g.T @ ua
        gha = (gua - ua * (gua * ua).sum(1, keepdims=True)) / na
        ghp = (gup - up * (gup * up).sum(1, keepdims=True)) / npos
        grad = a.T @ gha + p.T @ ghp
        w -= 0.01 * np.sqrt(w.size) * grad / (np.linalg.norm(grad) + 1e-12)
    return w


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    directory, seeds = sys.argv[1], sys.argv[2:]
    print("precision@10: worst class / mean over classes (worst class named)")
    for seed in seeds:
        classes, x = load(f"{directory}/features-{seed}.tsv")
        original_of, copies = load(f"{directory}/augmented-{seed}.tsv", first=int)
        units = np.loadtxt(f"{directory}/units-{seed}.tsv", delimiter="\t", ndmin=2)
        mean, spread = x.mean(0), x.std(0)
        spread[spread < 1e-6] = 1e-6
        z, z_copies = (x - mean) / spread, (copies - mean) / spread
        moved = ((z_copies - z[original_of]) ** 2).mean(0) + 1e-6
        ways = {
            "index (hand-built, weighted)": units,
            "features unweighted": z,
            "weighted by invariance": z / np.sqrt(moved),
            "contrastive linear encoder": z @ contrastive(z, original_of, z_copies),
        }
        print(f"seed {seed}: {len(classes)} images, {len(copies)} copies")
        for name, vectors in ways.items():
            scores = precision_at_10(classes, vectors)
            worst = min(scores, key=scores.get)
            print(
                f"  {name:30} {scores[worst]:.2f} / {np.mean(list(scores.values())):.3f}"
                f"  ({worst})"
            )


if __name__ == "__main__":
    main()
