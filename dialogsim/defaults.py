"""Default system responses, and what a response's name says about it.

A scenario author writes only the responses whose wording matters to them; the policies
still need one for every request, confirmation, result, offer and failure. ``default_responses``
derives those from the APIs and their arguments, with texts that read naturally from the
names (``BookFlight`` -> "book flight", ``departure_time`` -> "departure time") and
``{placeholders}`` the realiser fills. ``parse_response_name`` reads the naming table of
docs/scenario-format.md (``inform_<Api>_<field>`` ...) so a declared response may leave its
``act`` out.
"""

from __future__ import annotations

from typing import Mapping, NamedTuple

from dialogsim import booleans
from dialogsim.graph import DependencyGraph
from dialogsim.schema import Api, ResponseAct, ResponseTemplate, Scenario
from dialogsim.wording import acts, spoken_list, words

__all__ = ["ResponseName", "parse_response_name", "default_args", "default_responses"]


class ResponseName(NamedTuple):
    """What a response name from the naming table means."""

    act: ResponseAct
    api: str | None = None
    slot: str | None = None


def parse_response_name(name: str, apis: Mapping[str, Api], types: Mapping) -> ResponseName | None:
    """The act, API and slot a response name says, or None for a name of the author's own.

    Raises ``ValueError`` (with the reason) for a name that starts like a table name but
    names no argument, API or field of this scenario (``request_seats`` with no ``seats``):
    almost always a typo, which must not silently become a custom response.
    """
    if name in ("reqmore", "goodbye"):
        return ResponseName(ResponseAct(name))
    arg_names = {arg.name for api in apis.values() for arg in api.args}
    for prefix, act in (("no_results_", ResponseAct.NO_RESULTS), ("failure_", ResponseAct.FAILURE),
                        ("offer_", ResponseAct.OFFER)):
        if name.startswith(prefix):
            rest = name[len(prefix):]
            if rest in apis:
                return ResponseName(act, api=rest)
            raise ValueError(f"no API {rest!r} ({prefix}<Api> names an API)")
    if name.startswith("request_"):
        rest = name[len("request_"):]
        if rest in arg_names:
            return ResponseName(ResponseAct.REQUEST, slot=rest)
        raise ValueError(f"no API argument {rest!r} (request_<arg> names an argument)")
    if name.startswith("confirm_"):
        rest = name[len("confirm_"):]
        if rest in apis:
            return ResponseName(ResponseAct.CONFIRM_API, api=rest)
        if rest in arg_names:
            return ResponseName(ResponseAct.CONFIRM_ARGS, slot=rest)
        if rest == "args":
            return ResponseName(ResponseAct.CONFIRM_ARGS)
        raise ValueError(f"no API or argument {rest!r} (confirm_<Api> / confirm_<arg> name one)")
    if name.startswith("inform_"):
        rest = name[len("inform_"):]
        if rest in apis:
            return ResponseName(ResponseAct.INFORM, api=rest)
        # API names may contain "_", so "Book_x_price" may be (Book, x_price) or (Book_x, price)
        prefixed = [api for api in apis.values() if rest.startswith(api.name + "_")]
        for api in prefixed:
            field = rest[len(api.name) + 1:]
            if api.returns is not None and field in types[api.returns.type].fields:
                return ResponseName(ResponseAct.INFORM, api=api.name, slot=field)
        if prefixed:
            api = prefixed[0]
            raise ValueError(f"the output of {api.name} has no field {rest[len(api.name) + 1:]!r} "
                             f"(inform_<Api>_<field>)")
        raise ValueError(f"no API {rest!r} (inform_<Api> names an API)")
    return None


def default_args(meaning: ResponseName, apis: Mapping[str, Api], slots: Mapping[str, str]) -> dict[str, str]:
    """The arguments (name -> type) a response takes when the scenario does not say."""
    if meaning.act is ResponseAct.CONFIRM_ARGS and meaning.slot is not None:
        return {meaning.slot: slots[meaning.slot]}
    if meaning.act is ResponseAct.CONFIRM_API and meaning.api is not None:
        return {arg.name: arg.type for arg in apis[meaning.api].args}
    if meaning.act is ResponseAct.INFORM and meaning.api is not None:
        out = apis[meaning.api].returns
        return {} if out is None else {out.name: out.type}
    return {}


def default_responses(scenario: Scenario) -> dict[str, ResponseTemplate]:
    """Every response the policies may need, with generated texts, in a fixed order: per API
    in file order its ``request_<arg>``, ``confirm_<arg>`` (for every value the customer
    gives), ``confirm_<Api>`` (a question where the API is ``confirm: true``, else an echo
    of the values before the call), ``inform_<Api>``,
    ``inform_<Api>_<field>``, ``no_results_<Api>``, ``failure_<Api>``, ``offer_<Api>``; then
    ``reqmore`` and ``goodbye``. The scenario's own responses are ignored: callers keep the
    declared ones and add the rest."""
    graph = DependencyGraph(scenario)
    apis, types = scenario.apis, scenario.types
    said = booleans.boolean_words(scenario)  # a boolean is asked as a yes/no question
    out: dict[str, ResponseTemplate] = {}

    def add(name: str, act: ResponseAct, texts: list[str], *, args=None, api=None, slot=None) -> None:
        if name not in out:
            out[name] = ResponseTemplate(name=name, act=act, args=args or {}, texts=texts,
                                         api=api, slot=slot, generated=True)

    for api in apis.values():
        customer_args = scenario.customer_args(api.name)
        for arg in api.args:
            fed_by_list = any(getattr(apis[src].returns, "many", False) for src in graph.feeders(api.name, arg.name))
            said_by_customer = arg in customer_args
            w = words(arg.name)
            if fed_by_list:
                add(f"request_{arg.name}", ResponseAct.REQUEST,
                    [f"Which {w} would you like?", "Which one would you like?"], slot=arg.name)
            elif arg.name in said and ((arg.required and said_by_customer) or (arg.optional and arg.ask)):
                add(f"request_{arg.name}", ResponseAct.REQUEST, list(booleans.question(said[arg.name])), slot=arg.name)
            elif (arg.required and said_by_customer) or (arg.optional and arg.ask):
                add(f"request_{arg.name}", ResponseAct.REQUEST, [f"What {w} would you like?", f"Which {w}?"],
                    slot=arg.name)
        for arg in api.args:  # any value the customer gives may be confirmed (SimulationConfig.confirm_value)
            if arg.confirm or arg in customer_args:
                w, p = words(arg.name), "{" + arg.name + "}"
                texts = ([f"Just to confirm, {p}?", f"So {p}, right?"] if arg.name in said
                         else [f"Just to confirm, {p} {w}?" if w.endswith("s") and not w.endswith("ss")  # "3 tickets?"
                               else f"Just to confirm, the {w} is {p}?", f"Did you say {p} for the {w}?"])
                add(f"confirm_{arg.name}", ResponseAct.CONFIRM_ARGS, texts, args={arg.name: arg.type}, slot=arg.name)
        w = words(api.name)
        required = spoken_list(["{" + a.name + "}" for a in api.required])
        with_ = f" with {required}" if required else ""
        if api.confirm:
            add(f"confirm_{api.name}", ResponseAct.CONFIRM_API,
                [f"Should I {w}{with_}?", f"Do you want me to {w}{with_}?"],
                args={a.name: a.type for a in api.args}, api=api.name)
        elif customer_args:  # an echo of the values before the call (SimulationConfig.echo)
            add(f"confirm_{api.name}", ResponseAct.CONFIRM_API, [f"Okay, I'll {w}{with_}.", f"Alright, {w}{with_}."],
                args={a.name: a.type for a in api.args}, api=api.name)
        out_ = api.returns
        if out_ is None:
            add(f"inform_{api.name}", ResponseAct.INFORM, ["Done.", "All done."], api=api.name)
        else:
            p, args = "{" + out_.name + "}", {out_.name: out_.type}
            texts = ([f"Here's what I found: {p}.", f"I found {p}."] if out_.many
                     else [f"Here's the {words(out_.name)}: {p}.", f"Done. The {words(out_.name)} is {p}."])
            add(f"inform_{api.name}", ResponseAct.INFORM, texts, args=args, api=api.name)
            for field in types[out_.type].fields:
                fp = "{" + f"{out_.name}.{field}" + "}"
                # A boolean opening a text is said as a sentence: "It has outdoor seating."
                texts = [f"{fp}."] if field in said else [f"The {words(field)} is {fp}.", f"It's {fp}."]
                add(f"inform_{api.name}_{field}", ResponseAct.INFORM, texts, args=args, api=api.name, slot=field)
        # Nothing found, in words for what the API does: a search matched nothing; a booking, a
        # purchase, a song could not be had ("nothing matched" after "Shall I book it?" reads wrong).
        nothing = (["Sorry, I couldn't find anything for that.", "Sorry, nothing matched that."] if not acts(api)
                   else ["Sorry, that isn't available.", "Sorry, I couldn't get that for you."])
        add(f"no_results_{api.name}", ResponseAct.NO_RESULTS, nothing, api=api.name)
        add(f"failure_{api.name}", ResponseAct.FAILURE,
            ["Sorry, something went wrong. Please try again later.",
             "Sorry, that didn't work. Please try again later."], api=api.name)
        if graph.nx.in_degree(api.name):  # some API feeds it: the system can offer it next
            add(f"offer_{api.name}", ResponseAct.OFFER, [f"Would you like me to {w}?", f"Do you want me to {w} next?"],
                api=api.name)
    add("reqmore", ResponseAct.REQMORE, ["Can I help with anything else?", "Is there anything else I can do for you?"])
    add("goodbye", ResponseAct.GOODBYE, ["Goodbye!", "Have a nice day!"])
    return out
