/* The path search of graph.query (`_shortest_path` over `_CompactWeighed`), compiled.

Why: at a million paragraphs a path question that reads its whole budget of relationships expands
about ten thousand nodes, and the search in Python spends 8-9 microseconds on each: 100-150 ms. This
is the same bidirectional Dijkstra over the same compact adjacency (graph.path_index), with the same
costs computed by the same floating-point operations in the same order, the same queue order (distance,
expansion before node, order of pushing) and the same predecessor lists in the same order, so it
settles the same nodes at the same distances and finds the same meetings. It stops there: the caller
(graph.query) turns the meetings and the predecessor lists into the smallest of the cheapest paths,
with the code the Python search uses.

search(off, nbr, etype, label, type_cost, hub_label, doc_code, s, t, avoid_documents, defer_degree,
       hub_weight, budget, eps) -> (status, read, meets, pred_s, pred_t)

  status 0: no path; 1: found (meets: [(a, b)], a settled from s, b from t; pred_s, pred_t: {node:
  [predecessors]} for every node a path from an end to a meeting passes); 2: the search would read
  more than `budget` relationships (budget < 0: no bound). `read` is what it read.

Built as an optional extension: where it cannot be compiled, graph.query runs the Python search.
*/
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SEEN 1
#define SETTLED 2
#define WAITING 4

/* -- growable arrays ------------------------------------------------------------------------- */

static int grow(void **p, size_t *cap, size_t need, size_t size) {
    if (need <= *cap) return 0;
    size_t c = *cap ? *cap : 64;
    while (c < need) c *= 2;
    void *q = realloc(*p, c * size);
    if (!q) return -1;
    *p = q;
    *cap = c;
    return 0;
}

/* -- the queue: (distance, kind, order) as the Python tuples compare ---------------------------- */

typedef struct {
    double d;
    int kind;  /* 0: an expansion of a waiting node, 1: a node */
    int64_t order;
    int32_t node;
} Entry;

typedef struct {
    Entry *a;
    size_t n, cap;
} Heap;

static inline int less(const Entry *x, const Entry *y) {
    if (x->d != y->d) return x->d < y->d;
    if (x->kind != y->kind) return x->kind < y->kind;
    return x->order < y->order;
}

static int heap_push(Heap *h, Entry e) {
    if (grow((void **)&h->a, &h->cap, h->n + 1, sizeof(Entry))) return -1;
    size_t i = h->n++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!less(&e, &h->a[p])) break;
        h->a[i] = h->a[p];
        i = p;
    }
    h->a[i] = e;
    return 0;
}

static Entry heap_pop(Heap *h) {
    Entry top = h->a[0];
    Entry last = h->a[--h->n];
    size_t i = 0, n = h->n;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && less(&h->a[c + 1], &h->a[c])) c++;
        if (!less(&h->a[c], &last)) break;
        h->a[i] = h->a[c];
        i = c;
    }
    if (n) h->a[i] = last;
    return top;
}

/* -- what one search knows of a node: a hash map node -> record ------------------------------- */

typedef struct {
    int32_t node;
    uint8_t flags;
    double seen, dist, wait;
    int32_t phead, ptail; /* predecessor list: pool positions + 1, 0 for none */
} Rec;

typedef struct {
    int32_t *slots; /* record position + 1, 0 empty */
    size_t mask;
    Rec *recs;
    size_t n, cap;
} Map;

static inline size_t hash32(int32_t v, size_t mask) {
    return ((uint32_t)v * 2654435761u) & mask;
}

static int map_init(Map *m) {
    memset(m, 0, sizeof *m);
    m->mask = 1023;
    m->slots = calloc(m->mask + 1, sizeof(int32_t));
    return m->slots ? 0 : -1;
}

static inline Rec *map_get(const Map *m, int32_t v) {
    size_t i = hash32(v, m->mask);
    for (;;) {
        int32_t r = m->slots[i];
        if (!r) return NULL;
        if (m->recs[r - 1].node == v) return &m->recs[r - 1];
        i = (i + 1) & m->mask;
    }
}

static int map_rehash(Map *m) {
    size_t mask = m->mask * 2 + 1;
    int32_t *slots = calloc(mask + 1, sizeof(int32_t));
    if (!slots) return -1;
    for (size_t r = 0; r < m->n; r++) {
        size_t i = hash32(m->recs[r].node, mask);
        while (slots[i]) i = (i + 1) & mask;
        slots[i] = (int32_t)(r + 1);
    }
    free(m->slots);
    m->slots = slots;
    m->mask = mask;
    return 0;
}

/* the record of v, added (no flags) when it has none; NULL when out of memory */
static Rec *map_add(Map *m, int32_t v) {
    Rec *got = map_get(m, v);
    if (got) return got;
    if ((m->n + 1) * 2 > m->mask + 1 && map_rehash(m)) return NULL;
    if (grow((void **)&m->recs, &m->cap, m->n + 1, sizeof(Rec))) return NULL;
    Rec *r = &m->recs[m->n];
    memset(r, 0, sizeof *r);
    r->node = v;
    size_t i = hash32(v, m->mask);
    while (m->slots[i]) i = (i + 1) & m->mask;
    m->slots[i] = (int32_t)(++m->n);
    return r;
}

static void map_free(Map *m) {
    free(m->slots);
    free(m->recs);
}

/* -- predecessor lists (one pool for both searches) -------------------------------------------- */

typedef struct {
    int32_t node, next;
} Pred;

typedef struct {
    Pred *a;
    size_t n, cap;
} Pool;

static int pred_append(Pool *p, Rec *r, int32_t v) {
    if (grow((void **)&p->a, &p->cap, p->n + 1, sizeof(Pred))) return -1;
    p->a[p->n].node = v;
    p->a[p->n].next = 0;
    p->n++;
    if (r->ptail) p->a[r->ptail - 1].next = (int32_t)p->n;
    else r->phead = (int32_t)p->n;
    r->ptail = (int32_t)p->n;
    return 0;
}

static int pred_reset(Pool *p, Rec *r, int32_t v) {
    r->phead = r->ptail = 0;
    return pred_append(p, r, v);
}

/* -- relationships seen between the searches ------------------------------------------------- */

typedef struct {
    int32_t v, u;
    double w;
} Relax;

typedef struct {
    Relax *a;
    size_t n, cap;
} Relaxed;

static int relax_push(Relaxed *r, int32_t v, int32_t u, double w) {
    if (grow((void **)&r->a, &r->cap, r->n + 1, sizeof(Relax))) return -1;
    r->a[r->n].v = v;
    r->a[r->n].u = u;
    r->a[r->n].w = w;
    r->n++;
    return 0;
}

/* -- the graph and its costs ---------------------------------------------------------------- */

typedef struct {
    const int64_t *off;
    const int32_t *nbr;
    const uint8_t *etype;
    const uint8_t *label;
    Py_ssize_t n_nodes;
    int64_t n_entries;
    double type_cost[256];
    uint8_t hub_label[256];
    int doc_code;
    int32_t s, t;
    int avoid_documents;
    int64_t defer_degree;
    double hub_weight;
} Graph;

static inline int64_t degree(const Graph *g, int32_t v) {
    return g->off[v + 1] - g->off[v];
}

static inline double hub_of_degree(const Graph *g, int64_t deg) {
    return g->hub_weight * log2((double)(1 + deg));
}

static inline double hub(const Graph *g, int32_t v) {
    if (v == g->s || v == g->t || !g->hub_label[g->label[v]]) return 0.0;
    return hub_of_degree(g, degree(g, v));
}

typedef struct {
    int32_t u;
    double w;
    int big;
} Step;

typedef struct {
    Step *a;
    size_t n, cap;
} Steps;

/* the nodes linked to v by entries a:b of its slice, with the cost of going there (as `_CompactWeighed._weigh`) */
#define DAMAGED (-3)
#define NOMEM_STEP (-1)

static int weigh(const Graph *g, int32_t v, int64_t a, int64_t b, Steps *out) {
    out->n = 0;
    if (a < 0 || b > g->n_entries) return DAMAGED; /* a file beside the store that was damaged: never read past it */
    if (b <= a) return 0;
    double hv = hub(g, v);
    int skip_docs = g->avoid_documents && v != g->s && v != g->t;
    int v_doc = skip_docs && g->label[v] == g->doc_code;
    int64_t i = a;
    while (i < b) {
        int32_t u = g->nbr[i];
        if (u < 0 || u >= g->n_nodes) return DAMAGED;
        double tc = g->type_cost[g->etype[i]];
        int64_t j = i + 1;
        for (; j < b && g->nbr[j] == u; j++) {
            double c = g->type_cost[g->etype[j]];
            if (c < tc) tc = c;
        }
        i = j;
        int lab = g->label[u];
        int end = (u == g->s || u == g->t);
        if (skip_docs && !end && (v_doc || lab == g->doc_code)) continue;
        int64_t dg = degree(g, u);
        double hu = (end || !g->hub_label[lab]) ? 0.0 : hub_of_degree(g, dg);
        if (grow((void **)&out->a, &out->cap, out->n + 1, sizeof(Step))) return NOMEM_STEP;
        out->a[out->n].u = u;
        out->a[out->n].w = tc + (hv + hu) / 2;
        out->a[out->n].big = dg > g->defer_degree;
        out->n++;
    }
    return 0;
}

/* the cost between v and h (relationships either way) from v's slice; 0 when none is walkable */
static int link_cost(const Graph *g, int32_t v, int32_t h, Steps *tmp, double *w) {
    int64_t a = g->off[v], b = g->off[v + 1];
    if (a < 0 || b > g->n_entries || a > b) return DAMAGED;
    int64_t lo = a, hi = b;
    while (lo < hi) { /* first entry >= h */
        int64_t mid = lo + (hi - lo) / 2;
        if (g->nbr[mid] < h) lo = mid + 1;
        else hi = mid;
    }
    int64_t first = lo;
    hi = b;
    while (lo < hi) { /* first entry > h */
        int64_t mid = lo + (hi - lo) / 2;
        if (g->nbr[mid] <= h) lo = mid + 1;
        else hi = mid;
    }
    int rc = weigh(g, v, first, lo, tmp);
    if (rc) return rc;
    if (!tmp->n) return 0;
    *w = tmp->a[0].w;
    return 1;
}

/* -- the search ----------------------------------------------------------------------------- */

typedef struct {
    Map map[2];
    Heap fringe[2];
    Relaxed relaxed[2];
    int32_t *waitlist[2];
    size_t nwait[2], capwait[2];
    Pool pool;
    Steps steps, tmp;
    int64_t order;
    int64_t read;
    double best;
} Search;

static void search_free(Search *x) {
    for (int i = 0; i < 2; i++) {
        map_free(&x->map[i]);
        free(x->fringe[i].a);
        free(x->relaxed[i].a);
        free(x->waitlist[i]);
    }
    free(x->pool.a);
    free(x->steps.a);
    free(x->tmp.a);
}

#define NOMEM (-1)
#define OVER_BUDGET (-2)

static int expand(const Graph *g, Search *x, int side, int32_t v, double d, int64_t budget) {
    if (budget >= 0) {
        x->read += degree(g, v);
        if (x->read > budget) return OVER_BUDGET;
    }
    Map *mine = &x->map[side], *other = &x->map[1 - side];
    int wrc = weigh(g, v, g->off[v], g->off[v + 1], &x->steps);
    if (wrc) return wrc;
    for (size_t k = 0; k < x->steps.n; k++) {
        int32_t u = x->steps.a[k].u;
        double w = x->steps.a[k].w;
        double vu = d + w;
        Rec *ou = map_get(other, u);
        if (x->steps.a[k].big || (ou && (ou->flags & SEEN)))
            if (relax_push(&x->relaxed[side], v, u, w)) return NOMEM;
        if (ou && (ou->flags & SETTLED)) {
            double via = vu + ou->dist;
            if (via < x->best) x->best = via;
        }
        Rec *mu = map_get(mine, u);
        if (mu && (mu->flags & SETTLED)) {
            if (vu == mu->dist && pred_append(&x->pool, mu, v)) return NOMEM;
            continue;
        }
        if (!mu || !(mu->flags & SEEN) || vu < mu->seen) {
            if (!mu && !(mu = map_add(mine, u))) return NOMEM;
            mu->seen = vu;
            mu->flags |= SEEN;
            if (pred_reset(&x->pool, mu, v)) return NOMEM;
            Entry e = {vu, 1, x->order++, u};
            if (heap_push(&x->fringe[side], e)) return NOMEM;
        } else if (vu == mu->seen) {
            if (pred_append(&x->pool, mu, v)) return NOMEM;
        }
    }
    return 0;
}

static int run(const Graph *g, Search *x, int64_t budget, double eps) {
    const int32_t ends[2] = {g->s, g->t};
    for (int side = 0; side < 2; side++) {
        Rec *r = map_add(&x->map[side], ends[side]);
        if (!r) return NOMEM;
        r->flags = SEEN;
        r->seen = 0.0;
        Entry e = {0.0, 1, x->order++, ends[side]};
        if (heap_push(&x->fringe[side], e)) return NOMEM;
    }
    x->best = INFINITY;
    for (;;) {
        double tops[2];
        int open[2];
        for (int i = 0; i < 2; i++) {
            tops[i] = x->fringe[i].n ? x->fringe[i].a[0].d : INFINITY;
            open[i] = tops[i] < INFINITY && (x->best == INFINITY || tops[i] <= x->best / 2 + eps);
        }
        if ((!open[0] && !open[1]) || (x->best == INFINITY && (tops[0] == INFINITY || tops[1] == INFINITY))) break;
        int side = open[0] && open[1] ? (tops[1] < tops[0] ? 1 : 0) : (open[0] ? 0 : 1);
        Entry e = heap_pop(&x->fringe[side]);
        Map *mine = &x->map[side], *other = &x->map[1 - side];
        int32_t v = e.node;
        Rec *r = map_get(mine, v);
        if (e.kind == 0) {
            r->flags &= ~WAITING;
            int rc = expand(g, x, side, v, r->wait, budget);
            if (rc) return rc;
            continue;
        }
        if (r->flags & SETTLED) continue;
        r->flags |= SETTLED;
        r->dist = e.d;
        double d = e.d;
        Rec *o = map_get(other, v);
        if (o && (o->flags & SETTLED) && d + o->dist < x->best) x->best = d + o->dist;
        if (v != g->s && v != g->t && degree(g, v) > g->defer_degree) {
            r->flags |= WAITING;
            r->wait = d;
            if (grow((void **)&x->waitlist[side], &x->capwait[side], x->nwait[side] + 1, sizeof(int32_t))) return NOMEM;
            x->waitlist[side][x->nwait[side]++] = v;
            Entry ex = {d + 1.0 + hub(g, v) / 2, 0, x->order++, v};
            if (heap_push(&x->fringe[side], ex)) return NOMEM;
            for (size_t k = 0; k < x->nwait[1 - side]; k++) { /* two waiting hubs of the two searches side by side */
                int32_t h = x->waitlist[1 - side][k];
                Rec *hr = map_get(other, h);
                if (!(hr->flags & WAITING)) continue;
                double dh = hr->wait, w;
                int got = link_cost(g, v, h, &x->tmp, &w);
                if (got < 0) return got;
                if (got) {
                    if (relax_push(&x->relaxed[side], v, h, w)) return NOMEM;
                    if (d + w + dh < x->best) x->best = d + w + dh;
                }
            }
            continue;
        }
        int rc = expand(g, x, side, v, d, budget);
        if (rc) return rc;
    }
    return 0;
}

/* -- from Python ------------------------------------------------------------------------------ */

static int get_array(PyObject *obj, Py_buffer *view, Py_ssize_t itemsize, const char *name) {
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0) return -1;
    if (view->itemsize != itemsize) {
        PyErr_Format(PyExc_TypeError, "%s: items of %zd bytes expected, got %zd", name, itemsize, view->itemsize);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

/* {node: [predecessors]} of every node on a path from the search's end to one of `starts` */
static PyObject *pred_dag(const Search *x, int side, PyObject *starts) {
    PyObject *out = PyDict_New();
    PyObject *stack = PySequence_List(starts);
    if (!out || !stack) goto fail;
    while (PyList_GET_SIZE(stack)) {
        Py_ssize_t last = PyList_GET_SIZE(stack) - 1;
        PyObject *node = PyList_GET_ITEM(stack, last);
        Py_INCREF(node);
        if (PyList_SetSlice(stack, last, last + 1, NULL)) { Py_DECREF(node); goto fail; }
        int has = PyDict_Contains(out, node);
        if (has) { Py_DECREF(node); if (has < 0) goto fail; continue; }
        long v = PyLong_AsLong(node);
        const Rec *r = map_get(&x->map[side], (int32_t)v);
        PyObject *preds = PyList_New(0);
        if (!preds || PyDict_SetItem(out, node, preds)) { Py_XDECREF(preds); Py_DECREF(node); goto fail; }
        Py_DECREF(node);
        for (int32_t p = r ? r->phead : 0; p; p = x->pool.a[p - 1].next) {
            PyObject *pn = PyLong_FromLong(x->pool.a[p - 1].node);
            if (!pn || PyList_Append(preds, pn) || PyList_Append(stack, pn)) { Py_XDECREF(pn); Py_DECREF(preds); goto fail; }
            Py_DECREF(pn);
        }
        Py_DECREF(preds);
    }
    Py_DECREF(stack);
    return out;
fail:
    Py_XDECREF(out);
    Py_XDECREF(stack);
    return NULL;
}

static PyObject *search(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *o_off, *o_nbr, *o_etype, *o_label, *o_costs, *o_hubs;
    int doc_code, s, t, avoid;
    long long defer, budget;
    double hub_weight, eps;
    if (!PyArg_ParseTuple(args, "OOOOOOiiipLdLd", &o_off, &o_nbr, &o_etype, &o_label, &o_costs, &o_hubs, &doc_code,
                          &s, &t, &avoid, &defer, &hub_weight, &budget, &eps))
        return NULL;
    Py_buffer b_off, b_nbr, b_etype, b_label;
    if (get_array(o_off, &b_off, 8, "off")) return NULL;
    if (get_array(o_nbr, &b_nbr, 4, "nbr")) { PyBuffer_Release(&b_off); return NULL; }
    if (get_array(o_etype, &b_etype, 1, "etype")) { PyBuffer_Release(&b_off); PyBuffer_Release(&b_nbr); return NULL; }
    if (get_array(o_label, &b_label, 1, "label")) {
        PyBuffer_Release(&b_off); PyBuffer_Release(&b_nbr); PyBuffer_Release(&b_etype);
        return NULL;
    }
    PyObject *result = NULL;
    Graph g;
    memset(&g, 0, sizeof g);
    g.off = b_off.buf;
    g.nbr = b_nbr.buf;
    g.etype = b_etype.buf;
    g.label = b_label.buf;
    g.n_nodes = b_label.len;
    g.n_entries = b_nbr.len / 4;
    g.doc_code = doc_code;
    g.s = s;
    g.t = t;
    g.avoid_documents = avoid;
    g.defer_degree = defer;
    g.hub_weight = hub_weight;
    Search x;
    memset(&x, 0, sizeof x);
    PyObject *costs = PySequence_Fast(o_costs, "type costs: a sequence of floats");
    PyObject *hubs = costs ? PySequence_Fast(o_hubs, "hub labels: a sequence of booleans") : NULL;
    if (!hubs) goto done;
    if (PySequence_Fast_GET_SIZE(costs) > 256 || PySequence_Fast_GET_SIZE(hubs) > 256) {
        PyErr_SetString(PyExc_ValueError, "more than 256 relationship types or labels");
        goto done;
    }
    for (int i = 0; i < 256; i++) g.type_cost[i] = 1.0;
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(costs); i++) {
        g.type_cost[i] = PyFloat_AsDouble(PySequence_Fast_GET_ITEM(costs, i));
        if (PyErr_Occurred()) goto done;
    }
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(hubs); i++) {
        int truth = PyObject_IsTrue(PySequence_Fast_GET_ITEM(hubs, i));
        if (truth < 0) goto done;
        g.hub_label[i] = (uint8_t)truth;
    }
    if (s < 0 || t < 0 || s >= g.n_nodes || t >= g.n_nodes || b_off.len / 8 != g.n_nodes + 1 || b_etype.len != b_nbr.len / 4) {
        PyErr_SetString(PyExc_ValueError, "the ends or the arrays do not fit the index");
        goto done;
    }
    if (map_init(&x.map[0]) || map_init(&x.map[1])) { PyErr_NoMemory(); goto done; }
    int rc = run(&g, &x, budget, eps);
    if (rc == NOMEM) { PyErr_NoMemory(); goto done; }
    if (rc == DAMAGED) {
        PyErr_SetString(PyExc_ValueError, "the path index is damaged (a relationship outside its arrays)");
        goto done;
    }
    if (rc == OVER_BUDGET) {
        result = Py_BuildValue("(iLOOO)", 2, (long long)x.read, Py_None, Py_None, Py_None);
        goto done;
    }
    /* the running best can miss a meeting found after both ends were settled: taken again from every
       relationship seen between the two searches */
    double best = INFINITY;
    for (int side = 0; side < 2; side++) {
        for (size_t k = 0; k < x.relaxed[side].n; k++) {
            const Relax *e = &x.relaxed[side].a[k];
            const Rec *o = map_get(&x.map[1 - side], e->u);
            if (o && (o->flags & SETTLED)) {
                double len = map_get(&x.map[side], e->v)->dist + e->w + o->dist;
                if (len < best) best = len;
            }
        }
    }
    if (best == INFINITY) {
        result = Py_BuildValue("(iLOOO)", 0, (long long)x.read, Py_None, Py_None, Py_None);
        goto done;
    }
    PyObject *meets = PySet_New(NULL), *heads = PySet_New(NULL), *tails = PySet_New(NULL);
    if (!meets || !heads || !tails) goto meets_fail;
    double tol = eps * (best > 1.0 ? best : 1.0);
    for (int side = 0; side < 2; side++) {
        for (size_t k = 0; k < x.relaxed[side].n; k++) {
            const Relax *e = &x.relaxed[side].a[k];
            const Rec *o = map_get(&x.map[1 - side], e->u);
            if (!o || !(o->flags & SETTLED)) continue;
            double len = map_get(&x.map[side], e->v)->dist + e->w + o->dist;
            if (fabs(len - best) > tol) continue;
            long a = side == 0 ? e->v : e->u, b = side == 0 ? e->u : e->v;
            PyObject *pa = PyLong_FromLong(a), *pb = PyLong_FromLong(b);
            PyObject *pair = (pa && pb) ? PyTuple_Pack(2, pa, pb) : NULL;
            int bad = !pair || PySet_Add(meets, pair) || PySet_Add(heads, pa) || PySet_Add(tails, pb);
            Py_XDECREF(pa);
            Py_XDECREF(pb);
            Py_XDECREF(pair);
            if (bad) goto meets_fail;
        }
    }
    PyObject *pred_s = pred_dag(&x, 0, heads);
    PyObject *pred_t = pred_dag(&x, 1, tails);
    if (pred_s && pred_t) result = Py_BuildValue("(iLOOO)", 1, (long long)x.read, meets, pred_s, pred_t);
    Py_XDECREF(pred_s);
    Py_XDECREF(pred_t);
meets_fail:
    Py_XDECREF(meets);
    Py_XDECREF(heads);
    Py_XDECREF(tails);
done:
    Py_XDECREF(costs);
    Py_XDECREF(hubs);
    search_free(&x);
    PyBuffer_Release(&b_off);
    PyBuffer_Release(&b_nbr);
    PyBuffer_Release(&b_etype);
    PyBuffer_Release(&b_label);
    return result;
}

static PyMethodDef methods[] = {
    {"search", search, METH_VARARGS, "The bidirectional path search over the compact adjacency (see the module's source)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_pathsearch", "The path search of graph.query, compiled.", -1, methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__pathsearch(void) {
    return PyModule_Create(&module);
}
