"""What text aimed at an AI reviewer looks like: weighted patterns over folded (lowercase ASCII)
text. No single word decides; a sentence is flagged when its weights add up (see instructions.py).

The patterns describe families of attack (overriding instructions, swapping the model's persona,
extracting its prompt, forcing an output format, chat requests out of place in a document) rather
than known attack strings, and each is weighed against ordinary contract language, which also
"disregards prior agreements", "acts as agent" and grants rights "without restriction".
"""

# ruff: noqa: E501  (regular-expression tables read best one alternative group per line)
from __future__ import annotations

import re

_OVERRIDE = r"(?:pay no attention to|overlook|set aside|put aside|never mind|stop following|no longer follow|do not follow|don't follow|ignore|ignoring|disregard|disregarding|forget|forgetting|skip|override|bypass|disable|delete|cancel|discard|abandon|overrule|circumvent|neglect|drop|erase|clear|reset|turn off|switch off|deactivate|suspend|lift)"
_AI_RULES = r"(?:guidance|instructions?|prompts?|directives?|guidelines?|programming|guardrails?|filters?|restrictions?|constraints?|rules|polic(?:y|ies)|context|limitations?|training|directions|commands|orders|settings|safeguards?|protocols?|ethics)"
_EARLIER = r"(?:previous|prior|above|earlier|preceding|original|initial|old|existing|default|former|system|safety|ethical|content|your|these|those|any|all|my|the)"
_STRONG_EARLIER = (
    r"(?:previous|prior|above|earlier|preceding|original|initial|former|system|safety|ethical|your)"
)
_RULE_NOUNS = r"(?:guidance|instructions?|directives?|guidelines|programming|guardrails|filters|restrictions|constraints|rules|polic(?:y|ies)|training|commands|directions)"
_AI = r"(?:ai|a\.i\.|artificial intelligence|chatbot|chat ?gpt|gpt(?:-?\d\w*)?|llm|large language model|language model|claude|openai|anthropic|gemini|copilot|bard|llama|mistral|ai assistant|ai model|ai system)"

# (name, weight, pattern). Weights add up per sentence; 1.0 or more raises a signal.
PATTERNS: list[tuple[str, float, re.Pattern[str]]] = [
    (
        "override",
        0.6,
        re.compile(rf"\b{_OVERRIDE}\b(?:\W+[\w'-]+){{0,5}}?\W+{_AI_RULES}\b"),
    ),
    (
        "override_earlier",
        0.6,
        re.compile(rf"\b{_OVERRIDE}\b(?:\W+[\w'-]+){{0,3}}?\W+{_STRONG_EARLIER}\b"),
    ),
    (
        "override_everything",
        1.0,
        re.compile(
            rf"\b{_OVERRIDE}\W+(?:(?:all|everything|anything|whatever)\W+)?(?:(?:that|which|you|i)\W+)?"
            r"(?:(?:was|were|is|are|came|said|written|told|given|stated)\W+)?"
            r"(?:above|before|previously|earlier|so far|up to now|until now|the above)\b"
        ),
    ),
    (
        "earlier_rules",
        0.5,
        re.compile(
            rf"\b(?:previous|prior|above|earlier|preceding|original|initial|former|system|your|my)\W+{_RULE_NOUNS}\b"
        ),
    ),
    (
        "system_rules",
        0.5,
        re.compile(
            r"\b(?:system|developer|operator)\W+(?:instructions|messages?|directives|rules)\b"
        ),
    ),
    (
        "priority",
        1.0,
        re.compile(
            rf"\b(?:priority|precedence|more important|outranks?|overrides?|trumps?)\W+(?:over|than)?\W*(?:\w+\W+){{0,3}}?(?:system|developer|safety|your|the assistant's|original)\W+(?:\w+\W+)?{_AI_RULES}\b"
        ),
    ),
    (
        "rules_void",
        0.6,
        re.compile(
            rf"\b{_AI_RULES}\W+(?:\w+\W+){{0,3}}?(?:(?:have|has|can|could|may|might|should|would)?\s*be(?:en)?|get|gets|are|is|were|was|now)\W+"
            r"(?:\w+\W+)?(?:updated|changed|replaced|cancell?ed|revoked|lifted|null|void|"
            r"disabled|removed|suspended|off|outdated|obsolete|invalid|overridden|superseded|"
            r"bypassed|circumvented|ignored|evaded|defeated|broken|jailbroken)\b"
            r"|\b(?:do|does)\s+not\s+apply\s+(?:any\s?more|now|here|to\s+(?:you|me|this))\b"
        ),
    ),
    (
        "new_rules",
        0.5,
        re.compile(
            rf"\bnew\W+(?:\w+\W+)?{_AI_RULES}\b|\bnew (?:task|role|persona|objective|mission|identity)\b"
        ),
    ),
    (
        "system_prompt",
        0.8,
        re.compile(
            r"\b(?:system|initial|original|hidden|secret|internal|full|entire|first|your) (?:prompt|instructions? set)\b|\bprompt injection\b|\bcontext window\b"
        ),
    ),
    (
        "jailbreak",
        1.0,
        re.compile(
            r"\b(?:jailbreak\w*|developer mode|dan mode|do anything now|god mode|(?:unrestricted|unfiltered|uncensored|evil|chaos|alpha|debug|admin) mode|no[- ]limits? mode)\b"
        ),
    ),
    ("ai_referent", 0.5, re.compile(rf"\b{_AI}\b")),
    (
        "assistant",
        0.4,
        re.compile(
            r"\b(?:the|an|dear|you|as|helpful) (?:assistant|bot|chatbot|model)\b|\b(?:assistant|ai|bot|model)'s\b|\b(?:reviewer|review|reading|screening) (?:bots?|agents?|models?|ai)\b"
        ),
    ),
    (
        "vocative",
        0.8,
        re.compile(
            r"^\W*(?:(?:dear|hey|hi|attention|note to(?: the| any)?)\W+)?(?:assistant|ai|model|bot|chatbot|claude|chatgpt|gpt|llm|ai reviewer|reviewer|language model)s?\s*[,:!]"
        ),
    ),
    (
        "task_hook",
        0.5,
        re.compile(
            r"\b(?:when|while|before|after) (?:you )?(?:summari[sz]\w*|review\w*|analy[sz]\w*|reading|process\w*|answer\w*|respond\w*)\b|\bin your (?:review|summary|analysis|assessment|answer)\b"
        ),
    ),
    (
        "leave_out",
        0.5,
        re.compile(
            r"\b(?:leave out|omit|skip|exclude|hide|ignore|downplay|gloss over)\W+(?:\w+\W+){0,2}?(?:clauses?|sections?|terms?|risks?|findings?|issues?|red flags?|provisions?|paragraphs?)\b"
        ),
    ),
    (
        "quoted_output",
        0.5,
        re.compile(
            r"\b(?:reply|respond|answer|say|output|print|write|return)\W+(?:(?:only|just|with|exactly|back)\W+)*[\"'“‘][^\"'”’\n]{1,40}[\"'”’]"
        ),
    ),
    (
        "persona",
        0.8,
        re.compile(
            r"\byou(?: are|'re| re|'ll| will| must| should| may| can)? (?:now|no longer|henceforth|from now on|"
            r"going to (?:be|act|play)|about to)\b|\byou are (?:a |an )?(?:free|unrestricted|unfiltered|"
            r"liberated|evil|jailbroken|my|not (?:an?|bound|restricted))\b"
            r"|\bpretend(?:ing)? (?:to be|you|that|to have)\b|\brole-?play\w*\b|\bplay (?:the|a) role\b"
            r"|\bassume the (?:role|identity|persona)\b|\bstay in character\b|\bin character\b"
            r"|\bact as (?:if|though|an? (?:ai|assistant|bot|model|unrestricted|unfiltered|evil|\w+gpt))\b"
            r"|\b(?:behave|respond|answer|reply|speak|talk|operate|function) as (?:if|though|an?|the|your|that)\b"
            r"|\bimagine (?:you|that you|a world|an? ai|your)\b|\bsimulate (?:an?|the|being)\b"
            r"|\byour (?:true|real|new|evil|unfiltered|normal) self\b|\bforget (?:that )?you are\b"
        ),
    ),
    (
        "from_now_on",
        0.5,
        re.compile(
            r"\b(?:from now on|from here on|from this point (?:on|forward)|for the rest of (?:this|our|the) (?:conversation|chat|session)|henceforth you|as of now)\b"
        ),
    ),
    (
        "unrestricted",
        0.5,
        re.compile(
            r"\b(?:no|without(?: any)?|free (?:of|from)(?: all| any)?|bypass(?:ing)?|ignore|disable[ds]?)\W+"
            r"(?:\w+\W+)?(?:restrictions|filters|filtering|guardrails|censorship|content polic(?:y|ies)|"
            r"moral|ethic(?:s|al)|safety|limits|rules|guidelines|refusals?)\b"
            r"|\b(?:unrestricted|unfiltered|uncensored|unconstrained|unlimited power)\b"
        ),
    ),
    (
        "safety_talk",
        0.5,
        re.compile(
            r"\b(?:safety|ethical|moral) (?:filters?|guidelines|restrictions|training|"
            r"polic(?:y|ies)|constraints|considerations|checks|features|mechanisms|safeguards|"
            r"guardrails|settings|data|rules|systems|measures)\b|\bcontent (?:polic(?:y|ies)|filters?|"
            r"restrictions|moderation)\b"
        ),
    ),
    (
        "your_output",
        0.5,
        re.compile(
            r"\byour (?:response|answer|reply|output|responses|answers|replies|message|instructions|guidelines|programming|training|rules|restrictions|filters|configuration|creators?|developers?|limitations|task|job|mission|purpose|knowledge|capabilities|reasoning|thoughts|inner)\b"
        ),
    ),
    (
        "conversation",
        0.5,
        re.compile(
            r"\b(?:this|our|the|previous|earlier) (?:conversation|chat|dialogue|session|thread)s?\b|\b(?:above|before|preceding) this (?:line|message|point|prompt|text)\b"
        ),
    ),
    (
        "address_user",
        0.4,
        re.compile(
            r"\bthe user(?:'s|s)?\b|\buser (?:requests?|instructions|input|data|query|queries)\b|\bdear (?:ai|assistant|model|reviewer|bot)\b"
        ),
    ),
    (
        "request_me",
        0.4,
        re.compile(
            r"\b(?:tell|show|give|help|teach|send|let|remind|provide|explain to|read|write|reply to|answer) me\b|\bi (?:want|need|would like) you to\b|\b(?:can|could|would|will) you\b|\bfor me\b"
        ),
    ),
    ("first_person", 0.2, re.compile(r"(?<!\()\b(?:i(?!\))|me|my|i'm|i've|i'll|mine)\b")),
    (
        "privilege",
        0.5,
        re.compile(
            r"\b(?:system administrator|root (?:user|access)|superuser|sudo|admin(?:istrator)? (?:access|privileges|rights|mode)|elevated privileges)\b"
        ),
    ),
    (
        "answer_anything",
        0.5,
        re.compile(
            r"\b(?:respond|answer|reply|comply)\w*\W+(?:to\W+)?(?:any|every|all)\W+(?:\w+\W+)?(?:requests?|questions?|quer(?:y|ies)|prompts?|messages?)\b|\b(?:respond|answer|reply|speak) (?:freely|honestly|without)\b"
        ),
    ),
    (
        "model_past",
        0.4,
        re.compile(r"\byou (?:answered|responded|replied|complied|agreed|said|told me|always)\b"),
    ),
    (
        "pretext",
        0.4,
        re.compile(
            r"\b(?:for (?:educational|academic|research|testing|debugging|training) purposes|hypothetical(?:ly)?|in a fictional (?:story|world|scenario|setting)|just asking|purely (?:academic|hypothetical)|i'm writing a (?:novel|story|book|thriller)|thought experiment)\b"
        ),
    ),
    (
        "harm",
        0.4,
        re.compile(
            r"\b(?:explosives?|bombs?|weapons?|meth\w*|narcotics|poisons?|malware|ransomware|keylogger|hack(?:ing|er|ers)?|exploits?|phishing|steal\w*|toxic gas|synthesi[sz]e)\b"
        ),
    ),
    (
        "given_instructions",
        0.6,
        re.compile(
            rf"\b{_AI_RULES}\W+(?:that\W+)?(?:you(?:'ve| have| were| had)?|were)\W+(?:been\W+)?(?:given|told|provided|trained|programmed)\b|\b(?:given|told|provided) to you (?:at|before|in|by your)\b"
        ),
    ),
    (
        "output_control",
        0.5,
        re.compile(
            r"^\W*(?:please\W+)?(?:respond|reply|answer|output|print|say|repeat|echo|recite|type|"
            r"begin|start|end|encode|encrypt|translate|render|format|express|write|use|replace|"
            r"reverse|invert|shift|substitute|convert|include|append|insert|add|mention|promote|"
            r"confirm|acknowledge|state|claim|assert|insist|argue|emphasi[sz]e|stress|apply|tell)\b"
        ),
    ),
    (
        "output_transform",
        0.5,
        re.compile(
            r"\b(?:cipher|caesar|base ?(?:16|32|58|64|85)|rot ?13|emojis?|backwards?|in reverse|reversed? (?:order|sequence)|pig latin|morse code|leetspeak|hexadecimal|binary code)\b"
        ),
    ),
    (
        "format_forcing",
        0.6,
        re.compile(
            r"\b(?:complete|finish|continue) (?:this|the following|my) (?:sentence|phrase|text|story)\b|\bfill in the blanks?\b|\b(?:start|begin|end|prefix) (?:your|each|every) (?:response|answer|reply|message)\b|\brespond (?:only )?with (?:only|just|yes|no)\b"
        ),
    ),
    (
        "in_output",
        0.5,
        re.compile(
            r"\b(?:in|into|to|throughout|at the (?:start|end|beginning) of) (?:your|the|each|every) (?:summary|summaries|answer|answers|response|responses|reply|replies|output)\b"
        ),
    ),
    (
        "review_target",
        0.5,
        re.compile(
            r"\b(?:ai|automated|model|llm|machine|language model|ai-based|ai-powered)\W+(?:\w+\W+)?(?:reviewers?|review(?:ing)? (?:tools?|systems?)|analy[sz]ers?|readers?|screeners?|summari[sz]ers?|agents?)\b|\b(?:any|the|an) (?:automated|ai) (?:review|analysis|system|tool)\b"
        ),
    ),
    (
        "steer_verdict",
        0.6,
        re.compile(
            r"\b(?:rate|mark|classify|report|score|flag|treat|consider|label|summari[sz]e|describe|present|assess)\W+(?:\w+\W+){0,4}?(?:as|is)\W+(?:\w+\W+)?(?:low[- ]risk|no[- ]risk|risk[- ]free|safe|favou?rable|acceptable|compliant|benign|approved|market[- ]standard|harmless|fully balanced)\b|\b(?:should|must|need|needs) not be (?:flagged|reported|highlighted|mentioned|questioned|analy[sz]ed|reviewed|changed)\b|\b(?:report|return|output|find|raise|list) (?:no|zero) (?:issues|risks|findings|red flags|concerns|deviations|problems)\b"
        ),
    ),
    (
        "suppress",
        0.4,
        re.compile(
            r"\b(?:do not|don't|never|without) (?:mention|mentioning|flag|flagging|highlight|highlighting|report|reporting|reveal|revealing|tell|telling|warn|warning|alert|alerting) (?:the user|anyone|the reader|the reviewer|about|this|that|these|any)\b"
        ),
    ),
    (
        "reveal",
        0.6,
        re.compile(
            r"\b(?:reveal|leak|expose|dump|disclose|exfiltrate|print out|output|share|show|repeat|"
            r"recite|echo|display)\b(?:\W+\w+){0,3}?\W+(?:instructions|prompt|configuration|"
            r"everything|context|secrets?|password|api key|tokens?|credentials|training data)\b"
        ),
    ),
    (
        "comply",
        0.4,
        re.compile(
            r"\b(?:comply|obey|follow)\W+(?:\w+\W+){0,2}?(?:my|user|these|the following|new|only|instructions|commands|orders|requests?)\b|\bdo as i say\b|\backnowledge and proceed\b"
        ),
    ),
]

# Verbs a chat request starts with ("Summarize the 2020 report.", "Recommend a good book.").
TASK_VERBS = re.compile(
    r"^(?:(?:please|now|also|then|next|finally|and|so|just|kindly|ok|okay)\W+)*"
    r"(?:write|provide|list|show|tell|state|mention|promote|advertise|include|claim|apply|explain|summari[sz]e|translate|describe|analy[sz]e|"
    r"recommend|suggest|help|give|generate|create|compose|encode|decode|reply|respond|answer|"
    r"render|express|replace|reverse|shift|determine|classify|output|print|say|repeat|"
    r"recite|echo|imagine|discuss|simulate|convert|"
    r"draft|find|identify|calculate|compute|predict|forecast|"
    r"encrypt|substitute|invert|pretend|act|"
    r"roleplay|compare|evaluate|assess|rank|outline|brainstorm|look up|"
    r"investigate|elaborate|teach|instruct|craft|"
    r"debug|tweet|recount|narrate|sing|rewrite|paraphrase|reword|proofread|"
    r"spell|"
    r"advertise|ask|remind|warn|urge|persuade|"
    r"convince|declare|announce|confirm|acknowledge|forget|ignore|"
    r"disregard|let's|let us)\b"
)
QUESTION_START = re.compile(
    r"^(?:(?:and|so|but|also|now|then|ok|okay|hey|hi|q|well)\W+)*"
    r"(?:what|what's|how|which|who|whom|whose|why|when|where|can|could|would|will|do|does|did|"
    r"is|are|was|were|should|shall i|may i|might|have|has|don't|doesn't|isn't|aren't|won't|"
    r"wouldn't|couldn't|any|got)\b"
    r"|^(?:please\W+)?(?:can|could|would|will) you\b"
)
# The words of contracts: a request that uses them is about the contract, not aimed at a model.
LEGAL = re.compile(
    r"\b(?:shall|agreement|agreements|party|parties|hereto|hereof|herein|hereunder|hereby|"
    r"thereof|therein|thereunder|section|article|pursuant|licen[cs]ee|licen[cs]or|company|"
    r"customer|supplier|vendor|contractor|consultant|notice|obligations?|consent|exhibit|"
    r"schedule [a-z0-9]|clause|warrant\w*|indemni\w*|liabilit\w*|terminat\w*|provisions?|"
    r"breach|affiliates?|court|amend\w*|assign\w*|confidential\w*|invoice|distributor|"
    r"franchise\w*|employee|employer|lender|borrower|tenant|landlord|lessee|lessor|"
    r"purchaser|seller|buyer|manufacturer|territory|royalt\w*|escrow|trustee|"
    r"insurance|insurer|premises|effective date|closing|covenants?|appendix|annex|"
    r"addendum|recitals?|whereas|witness\w*|signature|signed|executed|by:|name:|title:|date:)\b"
)
