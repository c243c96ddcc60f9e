"""The API dependency graph: which API's output can feed which API's argument.

``DependencyGraph`` wraps a networkx ``DiGraph`` whose nodes are APIs and whose edge
``A -> B`` carries the arguments of B that A's output fills (``SearchFlight -> BookFlight``
via ``flight``), or a field of it fills (``FindRestaurants -> ReserveRestaurant`` via
``restaurant_name``); an argument the customer may say too does not make B wait for A.
The agents ask it what can feed an argument and what comes next; the goal sampler walks
its paths; ``dialogsim graph`` draws it as DOT or Mermaid.
"""

from __future__ import annotations

from typing import Iterator

import networkx as nx

from dialogsim.schema import Scenario

__all__ = ["DependencyGraph"]


class DependencyGraph:
    """APIs and the typed values that flow between them."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        g = nx.DiGraph()
        for name in scenario.apis:
            g.add_node(name)
        for target in scenario.apis.values():
            for arg in target.args:
                for source in self._feeders(target.name, arg):
                    if g.has_edge(source, target.name):
                        g.edges[source, target.name]["args"] += (arg.name,)
                    else:
                        returns = scenario.apis[source].returns
                        assert returns is not None  # a feeder has an output (_feeders)
                        fed = returns.type if arg.field is None else f"{returns.type}.{arg.field}"
                        g.add_edge(source, target.name, args=(arg.name,), type=fed)
        self.nx = g

    def _feeders(self, api: str, arg) -> list[str]:
        if arg.source is not None or arg.customer:  # from: names every source
            return [arg.source] if arg.source is not None else []
        return [name for name, other in self.scenario.apis.items()
                if name != api and other.returns is not None and other.returns.type == arg.type]

    def feeders(self, api: str, arg: str) -> tuple[str, ...]:
        """APIs whose output can fill argument ``arg`` of ``api``."""
        return tuple(src for src, _, data in self.nx.in_edges(api, data=True) if arg in data["args"])

    def successors(self, api: str) -> tuple[str, ...]:
        """APIs that take ``api``'s output: what the system can offer next."""
        return tuple(self.nx.successors(api))

    def downstream(self, api: str) -> frozenset[str]:
        """APIs that take ``api``'s output, directly or through others: the ones whose
        results rest on its result."""
        return frozenset(nx.descendants(self.nx, api))

    def roots(self) -> tuple[str, ...]:
        """APIs that need no other API's output: where a dialogue can start."""
        return tuple(name for name in self.nx if not self.needs_upstream(name))

    def needs_upstream(self, api: str) -> bool:
        """True when some required argument of ``api`` can only come from another API."""
        return bool(self._upstream_args(api))

    def _upstream_args(self, api: str) -> list[str]:
        """The required arguments of ``api`` that only another API's output can fill."""
        said = self.scenario.customer_args(api)
        return [arg.name for arg in self.scenario.apis[api].required if arg not in said]

    def cycles(self) -> list[list[str]]:
        """Every simple cycle (``A -> B -> A``); simulations never walk one twice."""
        return [list(c) for c in nx.simple_cycles(self.nx)]

    def paths(self, max_length: int = 4) -> Iterator[tuple[str, ...]]:
        """Every simple path of at most ``max_length`` APIs that starts at a root, in a
        deterministic order; every API on it has its upstream inputs before it."""
        def extend(path: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
            yield path
            if len(path) == max_length:
                return
            for nxt in sorted(self.nx.successors(path[-1])):
                if nxt not in path and self._satisfied(nxt, path):
                    yield from extend(path + (nxt,))
        for root in sorted(self.roots()):
            yield from extend((root,))

    def blocked(self) -> dict[str, tuple[str, str]]:
        """APIs no dialogue can ever call, each with the required argument that blocks it and
        why: every API that could fill it first needs an output of its own that nothing can
        give -- a dependency cycle (``A`` needs ``B``'s output and ``B`` needs ``A``'s, also
        through ``from:``) or a chain that ends in one. The loader refuses these, since a
        simulation that meets one has no response left to give."""
        able = set(self.roots())
        grew = True
        while grew:  # a fixed point: callable once every upstream argument has a callable feeder
            grew = False
            for api in self.nx:
                if api not in able and all(any(f in able for f in self.feeders(api, arg))
                                           for arg in self._upstream_args(api)):
                    able.add(api)
                    grew = True
        stuck = self.nx.subgraph(set(self.nx) - able)
        out = {}
        for api in sorted(stuck):
            arg = next(a for a in self._upstream_args(api) if not any(f in able for f in self.feeders(api, a)))
            try:
                cycle = [edge[0] for edge in nx.find_cycle(stuck, source=api)]
                why = f"a dependency cycle ({' -> '.join([*cycle, cycle[0]])}): no API in it can be called first"
            except nx.NetworkXNoCycle:
                why = f"only {', '.join(self.feeders(api, arg))} can fill it, and that can never be called first"
            out[api] = (arg, why)
        return out

    def path_weights(self, config) -> dict[tuple[str, ...], float]:
        """Every API path a goal can take, with its weight under the ``SimulationConfig``
        ``config``: the sample dialogues' paths weigh ``sample_path_weight``, other paths of
        the graph ``graph_path_weight``, unless ``path_weights`` names them. The goal sampler
        draws from these; the loader refuses a scenario where they are all 0."""
        apis = self.scenario.apis
        weights: dict[tuple[str, ...], float] = {}
        for sample in self.scenario.samples:
            path = tuple(api for api in sample.api_path if api in apis)
            if path:
                weights[path] = config.sample_path_weight
        for path in self.paths():
            weights.setdefault(path, config.graph_path_weight)
        for key, weight in config.path_weights.items():
            weights[tuple(part.strip() for part in key.split(">"))] = float(weight)
        return weights

    def _satisfied(self, api: str, before: tuple[str, ...]) -> bool:
        return all(any(src in before for src in self.feeders(api, arg)) for arg in self._upstream_args(api))

    def to_dot(self) -> str:
        lines = [f'digraph "{self.scenario.name}" {{', "  rankdir=LR;", "  node [shape=box];"]
        for name in sorted(self.nx):
            api = self.scenario.apis[name]
            label = name + ("\\n(confirm)" if api.confirm else "")
            lines.append(f'  "{name}" [label="{label}"];')
        for src, dst, data in sorted(self.nx.edges(data=True)):
            lines.append(f'  "{src}" -> "{dst}" [label="{data["type"]}: {", ".join(data["args"])}"];')
        lines.append("}")
        return "\n".join(lines) + "\n"

    def to_mermaid(self) -> str:
        lines = ["graph LR"]
        for name in sorted(self.nx):
            label = name + (" (confirm)" if self.scenario.apis[name].confirm else "")
            lines.append(f'  {name}["{label}"]')
        for src, dst, data in sorted(self.nx.edges(data=True)):
            lines.append(f"  {src} -->|{data['type']}: {', '.join(data['args'])}| {dst}")
        return "\n".join(lines) + "\n"
