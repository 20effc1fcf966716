"""English / Chinese labels, the glossary of CRM terms, and CJK fonts for plots (中英术语).

Class labels of customers are kept in English inside crmlib; ``lang="zh"`` (or
``set_language("zh")``) returns the Chinese ones. Plots and widgets label themselves through
:func:`label`.

>>> label("segmentation", lang="zh")
'客户细分'
>>> term("segmentation")
'customer segmentation (客户细分)'
>>> set_language("zh"); label("champions"); set_language("en")
'zh'
'最有价值客户'
'en'
"""

from __future__ import annotations

import difflib
import string
import sys
import warnings
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from crmlib import _validate as V
from crmlib._errors import CRMDataError

LANGUAGES = ("en", "zh")
_state = {"lang": "en"}

# key: (English, 中文, one-line definition in English, 中文定义). A plain label (a table heading, an
# axis) has "" for both definitions; a term has both. The Chinese term is the seeds' where they have
# one, and one term names one concept (AVOIDED below lists the variants not to write). The Chinese
# definition is written for a business student in plain Chinese, not rendered word for word.
# ``definition(key, lang)`` gives one definition, ``glossary(search, lang)`` the table of them.
GLOSSARY: dict[str, tuple[str, str, str, str]] = {
    # chapter 1 — ideas
    "crm": (
        "customer relationship management",
        "客户关系管理",
        "Managing every contact with customers so that the valuable ones stay and grow.",
        "企业通过管理与客户的每一次接触，留住有价值的客户，并让他们带来的价值不断增长。",
    ),
    "customer_analysis": (
        "customer analysis",
        "客户分析",
        "Studying customers' behaviour, characteristics, loyalty and value from their data.",
        "根据客户数据研究客户的购买行为、特征、忠诚度和价值，为识别、选择和开发客户提供依据。",
    ),
    "segmentation": (
        "customer segmentation",
        "客户细分",
        "Dividing customers into groups by value, needs or preferences to serve each group differently.",
        "按价值、需求或偏好把客户分成若干群体，为不同的群体提供不同的产品和服务。",
    ),
    "identification": (
        "customer identification",
        "客户识别",
        "Finding out who the customers are, what they need and how much they are worth.",
        "弄清谁是企业的客户、他们需要什么、能为企业带来多少价值。",
    ),
    "pareto": (
        "80/20 rule",
        "二八法则",
        "A rule of thumb: about 80% of revenue or profit comes from about 20% of customers.",
        "一条经验法则：大约80%的收入或利润来自大约20%的客户。",
    ),
    "lorenz": (
        "Lorenz curve",
        "洛伦兹曲线",
        "Cumulative share of value against cumulative share of customers, smallest first.",
        "把客户按价值从小到大排列，画出累计客户占比与累计价值占比的关系；曲线离对角线越远，价值越集中。",
    ),
    "gini": (
        "Gini index",
        "基尼系数",
        "Concentration of value among customers: 0 = all equal, near 1 = one customer holds all.",
        "衡量价值在客户之间集中程度的指标：0表示每位客户贡献相同，越接近1，价值越集中在少数客户手里。",
    ),
    "value_matrix": (
        "customer value matrix",
        "客户价值矩阵",
        "Customers placed by current value and potential value into four quadrants.",
        "按当前价值和潜在价值的高低，把客户分入四个象限，每个象限对应一种管理策略。",
    ),
    "current_value": (
        "current value",
        "当前价值",
        "What a customer is worth to us now (e.g. yearly margin).",
        "客户目前为企业带来的价值，例如一年的边际贡献。",
    ),
    "potential_value": (
        "potential value",
        "潜在价值",
        "What a customer could be worth if we won more of their business.",
        "如果企业争取到客户更多的业务，客户还能多带来的价值。",
    ),
    "share_of_wallet": (
        "share of wallet",
        "钱包份额",
        "The part of a customer's total spending in the category that comes to us.",
        "客户在这一类商品上的全部花费中，花在我们这里的那一部分所占的比例。",
    ),
    "wallet_headroom": (
        "wallet headroom",
        "钱包空间",
        "A customer's estimated category spending minus what it spends with us: the most we could still win.",
        "客户在这一类商品上的全部花费（估计值）减去他已经花在本企业的钱，就是企业最多还能争取到的部分。",
    ),
    "synthetic_shop": (
        "synthetic shop",
        "模拟商店",
        "The generated purchase log of this workbook: made by a program from stated rules, not observed.",
        "本工作簿使用的交易记录由程序按事先说明的规则生成，并不是实际观察到的数据。",
    ),
    "cdnow": (
        "CDNOW (real data)",
        "CDNOW（真实数据）",
        "The purchase log of the online CD shop CDNOW, 1997–98, published by Fader and Hardie.",
        "网上唱片店 CDNOW 在 1997—1998 年的真实交易记录，由 Fader 和 Hardie 整理公开。",
    ),
    "rfm": (
        "RFM analysis",
        "RFM分析",
        "Scoring customers by Recency, Frequency and Monetary value of their purchases.",
        "根据最近一次消费（R）、消费频率（F）和消费金额（M）给客户打分，再据此细分客户。",
    ),
    "recency": (
        "recency",
        "最近一次消费",
        "Days since the customer's last purchase.",
        "客户最近一次购买距今的天数。",
    ),
    "frequency": ("frequency", "消费频率", "Number of purchases in the period.", "客户在统计期内的购买次数。"),
    "monetary": (
        "monetary value",
        "消费金额",
        "Total amount the customer spent in the period.",
        "客户在统计期内的消费总额。",
    ),
    "profitability": (
        "customer profitability",
        "客户赢利能力",
        "Profit a customer brings after all costs.",
        "扣除所有成本之后，客户为企业带来的利润。",
    ),
    "needs": (
        "customer needs identification",
        "客户需求识别",
        "Working out the category, purpose, essence, level and attributes of what a customer needs.",
        "从需求类别、需求目的、需求实质、需求层次和需求属性五个方面，弄清客户到底需要什么。",
    ),
    "customer_state": (
        "customer state",
        "客户状态",
        "Whether someone is an actual, potential, lost or non-customer.",
        "按与企业的购买关系，把人或组织分为现实客户、潜在客户、流失客户和非客户四种状态。",
    ),
    "man": (
        "MAN rule",
        "MAN法则",
        "A prospect qualifies on Money (购买能力), Authority (购买决定权) and Need (购买需求).",
        "判断准客户是否值得跟进的法则：看对方有没有购买能力（M）、购买决定权（A）和购买需求（N）。",
    ),
    "money": (
        "money (ability to buy)",
        "购买能力",
        "Can the prospect afford to buy?",
        "对方有没有足够的支付能力，也就是“买得起”。",
    ),
    "authority": (
        "authority (decision power)",
        "购买决定权",
        "Does this person decide the purchase?",
        "对方能不能决定这次购买，也就是“说了算”。",
    ),
    "need": (
        "need",
        "购买需求",
        "Does the prospect need what we sell?",
        "对方是否需要我们的产品或服务，也就是“用得着”。",
    ),
    "prospect": (
        "prospect",
        "准客户",
        "Someone who may become a customer.",
        (
            "准客户名单上一个具体的人或组织：销售人员正在争取，但尚未成交，需要用MAN法则判断其是否合格。请区分三个词："
            "潜在客户是一种客户状态（尚未购买，但有需求也有购买能力）；意向客户是成交时间分类中的一类（有兴趣，"
            "但两个月内不会成交）；准客户则是名单上一个个具体的对象。"
        ),
    ),
    "value_customer": (
        "value customer",
        "价值客户",
        "A customer whose relationship is worth investing in.",
        "值得企业投入资源、长期维护关系的客户。",
    ),
    "transactional": (
        "transactional",
        "交易型客户",
        "Buys on price and discounts, little margin, no loyalty.",
        "看重价格和折扣，边际贡献低，谈不上忠诚，哪里便宜就去哪里买。",
    ),
    "relational": (
        "relational",
        "关系型客户",
        "Buys for the relationship: steady margin, few discounts.",
        "看重与企业的关系，边际贡献稳定，很少要求折扣。",
    ),
    "margin": (
        "margin contribution",
        "边际贡献",
        "Revenue minus the variable cost of what was sold.",
        "销售收入减去所售商品的变动成本之后剩下的部分。",
    ),
    "discount_pct": (
        "discount percentage",
        "折扣百分比",
        "Share of list price given away as discount.",
        "折扣金额占标价的比例。",
    ),
    "deal_stage": (
        "deal-time class",
        "成交时间分类",
        "How soon a prospect is expected to buy.",
        "按预计成交时间，把准客户分为成熟客户、有望客户和意向客户三类。",
    ),
    "abc": (
        "ABC classification",
        "ABC分类",
        "Key, major and ordinary customers by cumulative value.",
        "按累计价值，把客户分为A类关键客户、B类主要客户和C类普通客户。",
    ),
    "key_account": (
        "key account",
        "大客户",
        "A customer of outstanding value, managed one to one.",
        (
            "价值突出、需要一对一专门管理的客户。它与第2章所说的大客户（购买量大的客户）往往是同一批人，"
            "但大客户管理不只看规模，还看客户的战略意义和发展潜力。"
        ),
    ),
    "churn": ("customer churn", "客户流失", "Customers who stop buying.", "客户不再购买、离企业而去。"),
    "retention": (
        "customer retention",
        "客户保留",
        "Keeping customers buying.",
        "设法让现有客户继续购买。保留一位老客户，通常比争取一位新客户便宜得多。",
    ),
    "loyalty": (
        "customer loyalty",
        "客户忠诚",
        "Repeat buying out of preference, not habit or lock-in.",
        "客户出于偏爱和信任而反复购买，而不是出于习惯，也不是因为别无选择。",
    ),
    "satisfaction": (
        "customer satisfaction",
        "客户满意",
        "How far experience meets expectations.",
        "客户把实际体验与事先的期望相比较后的感受：体验达到或超过期望，客户就满意。",
    ),
    "clv": (
        "customer lifetime value",
        "客户终身价值",
        "Present value of the future profit of a customer.",
        "客户在今后整个关系存续期内能为企业带来的利润，折算成今天的价值（现值）。",
    ),
    "selection": (
        "customer selection",
        "客户选择",
        "Choosing which customers to serve.",
        "决定企业为哪些客户服务、重点服务谁。",
    ),
    "development": (
        "customer development",
        "客户开发",
        "Turning potential customers into real ones.",
        "把潜在客户转化为现实客户的过程。",
    ),
    "self_check": (
        "self-check",
        "自我检查",
        "A cell that tells you whether your answer is right.",
        "练习中的检查单元格：告诉你答案对不对，但不直接给出答案。",
    ),
    # customer states
    "actual": ("actual customer", "现实客户", "Bought recently and is still buying.", "最近买过、现在仍在购买的客户。"),
    "potential": (
        "potential customer",
        "潜在客户",
        "Has not bought yet but shows interest or need.",
        (
            "还没有向企业购买，但有需求、也有购买能力的人或组织，是四种客户状态之一。注意与准客户（名单上的具体对象）"
            "和意向客户（成交时间分类）区分。"
        ),
    ),
    "lost": ("lost customer", "流失客户", "Bought before but has stopped.", "以前买过，后来不再购买的客户。"),
    "non_customer": (
        "non-customer",
        "非客户",
        "Neither buys nor shows a need for what we sell.",
        "既不购买，也没有相应的需求或支付能力，目前不值得投入精力的人。",
    ),
    # deal-time classes (seed 003)
    "mature": (
        "mature (closes within 1 month)",
        "成熟客户",
        "Satisfied after contact; expected to buy within a month.",
        "经过沟通，客户对产品或服务满意，预计一个月内成交。",
    ),
    "hopeful": (
        "hopeful (closes within 2 months)",
        "有望客户",
        "Broadly satisfied; expected to buy within two months.",
        "经过沟通，客户基本满意，预计两个月内成交。",
    ),
    "potential_deal": (
        "potential (over 2 months)",
        "意向客户",
        "Interested, but a deal is more than two months away.",
        (
            "客户已对产品或服务产生兴趣，但要两个月以后才可能成交。原教材把这一类也叫“潜在客户”，"
            "本工作簿改称“意向客户”，以免与客户状态中的潜在客户混淆。"
        ),
    ),
    # ABC classes (seed 003: key / major / ordinary)
    "A": (
        "A key",
        "A 关键客户",
        "The few customers who bring the first ~80% of value.",
        "人数不多，却累计贡献了约80%价值的客户。",
    ),
    "B": ("B major", "B 主要客户", "The next ~15% of value.", "排在其后、再贡献约15%价值的客户。"),
    "C": (
        "C ordinary",
        "C 普通客户",
        "The many customers who bring the last ~5% of value.",
        "人数众多，却只贡献剩下约5%价值的客户。",
    ),
    # profitability tiers (seed 000)
    "most_profitable": ("most profitable", "最具获利客户", "The top profit earners.", "利润贡献最高的那一小部分客户。"),
    "profitable": ("profitable", "具获利客户", "Customers who earn a positive profit.", "能为企业带来正利润的客户。"),
    "least_profitable": (
        "least profitable",
        "最不具获利客户",
        "Customers who earn little or lose money.",
        "利润很少，甚至让企业亏钱的客户。",
    ),
    # value matrix quadrants
    "invest": (
        "invest and retain",
        "重点保持",
        "High current and high potential value.",
        "当前价值和潜在价值都高的客户：加大投入，全力留住。",
    ),
    "maintain": (
        "maintain",
        "一般维持",
        "High current value, little room to grow.",
        "当前价值高，但增长空间不大：以合理的成本维持现有关系。",
    ),
    "develop": (
        "develop",
        "重点发展",
        "Low current value but high potential.",
        "当前价值低，但潜在价值高：重点培养，让他们成长为未来的关键客户。",
    ),
    "minimise": (
        "minimise cost",
        "降低成本",
        "Low current and low potential value.",
        "当前价值和潜在价值都低：用低成本的方式服务，不做过多投入。",
    ),
    # RFM segments
    "champions": ("Champions", "最有价值客户", "Bought recently, often and for much.", "最近买过，买得勤，花得多。"),
    "loyal": (
        "Loyal",
        "忠诚客户",
        "Buy often and for much, though not in the last few weeks.",
        "买得勤，花得多，只是最近几周没有购买。",
    ),
    "potential_loyalist": (
        "Potential loyalists",
        "潜力客户",
        "Recent buyers with middling frequency and spend.",
        "最近刚买过，购买频率和金额居中，有望成为忠诚客户。",
    ),
    "new_customers": (
        "New / growing",
        "新客户（成长客户）",
        "Bought recently but rarely so far.",
        "最近刚买过，但到目前为止买得很少。",
    ),
    "need_attention": ("Need attention", "需要关注", "Middling on all three scores.", "三项得分都处于中等水平。"),
    "about_to_sleep": (
        "About to sleep",
        "即将沉睡",
        "Middling recency, low frequency and spend.",
        "最近一次消费的时间居中，购买频率和金额偏低。",
    ),
    "at_risk": (
        "At risk",
        "高价值流失风险",
        "Used to buy often and for much, but not lately.",
        "过去买得勤、花得多，最近却没有再来。",
    ),
    "hibernating": (
        "Hibernating",
        "沉睡客户",
        "Long since the last purchase, middling history.",
        "很久没有购买，过去的购买记录也一般。",
    ),
    "lost_segment": ("Lost", "流失客户", "Long gone, and little history.", "早已不再光顾，过去的购买记录也很少。"),
    # labels used by plots and tables
    "customers": ("customers", "客户", "", ""),
    "customer_share": ("share of customers", "客户占比", "", ""),
    "value_share": ("share of value", "价值占比", "", ""),
    "revenue": ("revenue", "收入", "", ""),
    "profit": ("profit", "利润", "", ""),
    "count": ("count", "数量", "", ""),
    "equality": ("perfect equality", "完全平等线", "", ""),
    "cumulative_share": ("cumulative share", "累计占比", "", ""),
    "segment": ("segment", "细分群体", "", ""),
    "strategy": ("strategy", "对策", "", ""),
    # ---- chapter 2: customer selection, credit, receivables (add keys below this line)
    "selection_need": (
        "why select customers",
        "客户选择的必要性",
        "Not every buyer is a valid customer and not every customer brings profit, so choose.",
        "并非所有购买者都是企业的有效客户，也并非所有客户都能给企业带来利润，所以要有所选择。",
    ),
    "ideal_customer": (
        "ideal customer",
        "理想客户",
        "A customer that buys much, pays on time, costs little to serve, is low-risk and wants to stay.",
        "购买量大、付款及时、服务成本低、经营风险小，并且愿意与企业长期合作的客户。",
    ),
    "ideal_score": (
        "ideal-customer score",
        "理想客户评分",
        "Weighted 0–100 score of an account on the five ideal-customer criteria.",
        "按理想客户的五项标准给每位客户加权打分，满分100分。",
    ),
    "crit_demand": (
        "strong demand and volume",
        "购买欲望强烈、购买量大",
        "How much the account buys.",
        "客户的购买欲望有多强、购买量有多大。",
    ),
    "crit_payment": (
        "price-insensitive, pays on time",
        "价格敏感度低、付款及时、信誉好",
        "Little haggling, prompt payment, good credit.",
        "不在价格上斤斤计较，付款及时，信誉良好。",
    ),
    "crit_service_cost": (
        "low cost to serve",
        "服务成本低",
        "Asks for little service relative to what it buys.",
        "相对于购买量，客户要求的服务较少。",
    ),
    "crit_risk": (
        "low risk, good prospects",
        "经营风险小、发展前景好",
        "Sound finances, growing sales, a healthy industry.",
        "财务稳健，销售在增长，所在行业前景良好。",
    ),
    "crit_partnership": (
        "wants a long-term partnership",
        "愿意建立长期伙伴关系",
        "Interested in working together for years.",
        "愿意与企业多年合作。",
    ),
    "cost_to_serve": (
        "cost to serve",
        "服务成本",
        "What serving an account costs: visits, support, delivery, admin.",
        "为一位客户提供服务所花的成本，包括拜访、技术支持、送货和行政事务等。",
    ),
    "delay_cost": (
        "payment-delay cost",
        "延期付款成本",
        "Interest lost while a customer pays late.",
        "客户拖延付款期间，企业损失的利息。",
    ),
    "whale_curve": (
        "whale curve",
        "鲸鱼曲线",
        "Cumulative profit with customers sorted from most to least profitable; its hump shows the losses.",
        "把客户按利润从高到低排列后画出的累计利润曲线；曲线先升后降，驼峰之后下降的部分就是亏损客户吃掉的利润。",
    ),
    "big_customer": (
        "big customer",
        "大客户",
        "An account that buys a lot; not necessarily an ideal one.",
        (
            "购买量大的客户，但不一定是理想客户，可能带来财务、利润、管理和流失四种风险。"
            "第5章讲的大客户管理，除了规模，还要看战略意义和发展潜力。"
        ),
    ),
    "big_accounts": ("big accounts", "大客户", "", ""),
    "other_accounts": ("other accounts", "其他客户", "", ""),
    "financial_risk": (
        "financial risk",
        "财务风险",
        "A big customer that pays late or is deep in debt can hurt our cash.",
        "大客户拖欠货款或负债过重，会拖累企业的资金周转。",
    ),
    "profit_risk": (
        "profit risk",
        "利润风险",
        "A big customer that squeezes prices and discounts leaves little profit.",
        "大客户压低价格、要求大幅折扣，留给企业的利润所剩无几。",
    ),
    "management_risk": (
        "management risk",
        "管理风险",
        "A big customer that demands special treatment ties up our people.",
        "大客户要求特殊待遇，占用企业大量人力。",
    ),
    "churn_risk": (
        "churn risk",
        "流失风险",
        "A big customer courted by competitors may leave.",
        "大客户常被竞争对手争夺，随时可能离开。",
    ),
    "growth_potential": (
        "growth potential",
        "成长潜力",
        "A small customer growing fast may become an ideal one.",
        "增长迅速的小客户，将来可能成为理想客户。",
    ),
    "selection_principles": (
        "selection principles",
        "客户选择的原则",
        "Fit our positioning, be ideal, have potential, match our strength, be satisfied.",
        "选择与企业定位一致的客户、理想客户、有潜力的客户、与自己实力接近的客户，以及对企业产品或服务满意的客户。",
    ),
    "principle_positioning": (
        "fits our positioning",
        "与企业定位一致",
        "In a market we target.",
        "客户所在的市场正是企业的目标市场。",
    ),
    "principle_ideal": (
        "ideal customer",
        "理想客户",
        "Scores well on the ideal-customer criteria.",
        "客户在理想客户的各项标准上得分较高。",
    ),
    "principle_potential": ("has potential", "有潜力", "Its purchases are growing.", "客户的采购额在增长。"),
    "principle_strength": (
        "matches our strength",
        "与自己实力接近",
        "Neither far bigger nor far smaller than us.",
        "客户的规模与企业相当，既不比企业大得多，也不比企业小得多。",
    ),
    "principle_satisfied": (
        "satisfied with us",
        "对产品或服务满意",
        "Rates our products and service well.",
        "客户对企业的产品和服务评价良好。",
    ),
    "verdict_select": ("select", "优先选择", "Meets four or five principles.", "符合四项或五项原则。"),
    "verdict_consider": ("consider", "可以考虑", "Meets three principles.", "符合三项原则。"),
    "verdict_avoid": ("avoid for now", "暂不选择", "Meets two principles or fewer.", "只符合两项或更少的原则。"),
    "customer_information": (
        "customer information",
        "客户信息",
        "Basic data, characteristics, business situation and transaction status of a customer.",
        "企业掌握的有关客户的各种情况，分为基础资料、客户特征、业务状况和交易现状四类。",
    ),
    "credit_management": (
        "credit management",
        "客户信用管理",
        "Investigating customers' credit, setting limits and terms, and collecting what they owe.",
        "调查客户的信用，确定信用额度和付款条件，并收回客户所欠的货款。",
    ),
    "five_c": (
        "5C credit model",
        "5C信用评估",
        "Character, capacity, capital, collateral and conditions.",
        "从品德、能力、资本、担保品和环境条件五个方面评估客户的信用。",
    ),
    "credit_character": (
        "character",
        "品德",
        "Willingness to pay: the payment record.",
        "客户的付款意愿，主要看以往的付款记录。",
    ),
    "credit_capacity": (
        "capacity",
        "能力",
        "Ability to pay from the business: liquidity.",
        "客户靠自身经营偿还欠款的能力，主要看资金的流动性。",
    ),
    "credit_capital": (
        "capital",
        "资本",
        "Financial strength: equity against debt.",
        "客户的财务实力，主要看自有资本与负债的对比。",
    ),
    "credit_collateral": ("collateral", "担保品", "Assets pledged or guarantees given.", "客户提供的抵押资产或担保。"),
    "credit_conditions": (
        "conditions",
        "环境条件",
        "The economic outlook of the customer's industry.",
        "客户所在行业的经济前景。",
    ),
    "credit_score": (
        "credit score",
        "信用评分",
        "Weighted 0–100 score of the five Cs.",
        "对5C的各项加权评分，满分100分。",
    ),
    "credit_limit": (
        "credit limit",
        "信用额度",
        "The most a customer may owe us at any time.",
        "企业允许客户赊欠货款的最高限额，任何时候都不得超过。",
    ),
    "credit_A": (
        "A",
        "A 信用优良",
        "Score 75 or more: two months of purchases on credit, 60-day terms.",
        "得分75分及以上：可赊销两个月的采购额，账期60天。",
    ),
    "credit_B": (
        "B",
        "B 信用良好",
        "Score 60–75: one month on credit, 45-day terms.",
        "得分60～75分：可赊销一个月的采购额，账期45天。",
    ),
    "credit_C": (
        "C",
        "C 信用一般",
        "Score 45–60: half a month on credit, 30-day terms.",
        "得分45～60分：可赊销半个月的采购额，账期30天。",
    ),
    "credit_D": (
        "D",
        "D 信用较差",
        "Score below 45: no credit, cash in advance.",
        "得分低于45分：不予赊销，须先付款后发货。",
    ),
    "receivables": (
        "accounts receivable",
        "应收账款",
        "Money customers owe for goods already delivered.",
        "客户已经收到货物、但还没有支付的货款。",
    ),
    "aging": (
        "aging of receivables",
        "应收账款账龄分析",
        "Open invoices grouped by how long they are overdue.",
        "把尚未收回的发票按逾期时间的长短分段统计。",
    ),
    "dso": (
        "days sales outstanding (DSO)",
        "应收账款周转天数",
        "Open receivables expressed in days of sales.",
        "把尚未收回的应收账款换算成相当于多少天的销售额。",
    ),
    "bad_debt": (
        "bad-debt provision",
        "坏账准备",
        "Expected loss on receivables, set aside by aging bucket.",
        "按账龄分段估计应收账款可能发生的损失，并预先计提。",
    ),
    "collection": (
        "collection",
        "催收",
        "The steps taken to get overdue invoices paid.",
        "为收回逾期货款而采取的一系列措施。",
    ),
    "days_past_due": ("days past due", "逾期天数", "", ""),
    "open_amount": ("amount", "金额", "", ""),
    "score_0_100": ("score", "得分", "", ""),
    # ---- chapter 3: customer development (add keys below this line)
    "lead": (
        "lead",
        "销售线索",
        "A name that might become a prospect; it has not been qualified yet (线索, 引子).",
        "可能发展成准客户、但还没有经过资格审查的人或单位，也叫“线索”或“引子”。",
    ),
    "lead_channel": (
        "lead channel (prospecting method)",
        "寻找客户的方法",
        "Where a lead came from: referral, phone, trade fair, …",
        "找到销售线索所用的方法，例如链式介绍法、电话寻找法或会议寻找法。",
    ),
    "marketing_oriented": (
        "marketing-oriented development",
        "营销导向的客户开发",
        "Drawing customers in with the right product, price, channel and promotion.",
        "靠适当的产品、价格、分销渠道和促销手段，吸引潜在客户主动上门。",
    ),
    "sales_oriented": (
        "sales-oriented development",
        "推销导向的客户开发",
        "Salespeople find, approach and persuade customers one by one.",
        "由推销人员逐一寻找、接近和说服客户。",
    ),
    "qualified": (
        "qualified lead (M+A+N)",
        "合格准客户",
        "A lead with money, authority and need.",
        "购买能力、购买决定权和购买需求三者兼备（M+A+N）的线索或准客户，是最理想的销售对象。",
    ),
    "win_rate": ("conversion rate", "转化率", "Share of leads that became customers.", "线索中最终成交的比例。"),
    "cost_per_lead": (
        "cost per lead",
        "单条线索成本",
        "Money spent on a channel divided by its leads.",
        "某一渠道的投入除以它带来的线索数。",
    ),
    "cost_per_acquisition": (
        "cost per acquisition",
        "获客成本",
        "Money spent on a channel divided by the customers it won.",
        "某一渠道的投入除以它赢得的客户数，也就是平均争取一位新客户花了多少钱。",
    ),
    "return_on_cost": ("return", "投资回报率", "(Value won − cost) / cost.", "赢得的价值减去成本，再除以成本。"),
    "aidmas": (
        "AIDMAS funnel",
        "AIDMAS法则",
        "Attention, interest, desire, memory, action, satisfaction: the steps from first contact to a happy buyer.",
        "引起注意、激发兴趣、唤起欲望、留下记忆、购买行动、购后满意：客户从初次接触到满意购买要经过的六个阶段。",
    ),
    "aidmas_attention": ("attention", "引起注意", "The customer notices us.", "客户注意到了我们。"),
    "aidmas_interest": ("interest", "激发兴趣", "The customer wants to know more.", "客户想进一步了解。"),
    "aidmas_desire": ("desire", "唤起欲望", "The customer wants the product.", "客户想要这件产品。"),
    "aidmas_memory": (
        "memory",
        "留下记忆",
        "The customer remembers us when ready to buy.",
        "客户准备购买时能想起我们。",
    ),
    "aidmas_action": ("action", "购买行动", "The customer buys.", "客户下单购买。"),
    "aidmas_satisfaction": ("satisfaction", "购后满意", "The customer is pleased after buying.", "客户买后感到满意。"),
    "buying_role": (
        "buying role",
        "客户内部角色",
        "The part a person plays in a purchase decision.",
        "一个人在购买决策中扮演的角色：发起者、影响者、决策者、购买者或使用者。",
    ),
    "role_initiator": ("initiator", "发起者", "First proposes buying.", "最先提出购买建议的人。"),
    "role_influencer": (
        "influencer",
        "影响者",
        "Shapes the decision without making it.",
        "对决策有影响，但不做最终决定的人。",
    ),
    "role_decider": ("decider", "决策者", "Has the final say.", "对购买拥有最终决定权的人。"),
    "role_buyer": ("buyer", "购买者", "Carries out the purchase.", "具体办理购买手续的人。"),
    "role_user": ("user", "使用者", "Uses the product or service.", "实际使用产品或服务的人。"),
    "approach": (
        "approaching a customer",
        "接近客户",
        "Preparing for and opening the first real conversation.",
        "为与客户第一次真正的面谈做好准备，并顺利打开话题。",
    ),
    "pain_point": (
        "pain point",
        "客户痛点",
        "The problem that hurts the customer most and that we can remove.",
        "最让客户头疼、而我们又能帮他解决的问题。",
    ),
    "persuasion": (
        "persuading a customer",
        "说服客户",
        "Helping the customer weigh the offer and decide.",
        "帮助客户权衡我们的方案，并做出购买决定。",
    ),
    "franklin": (
        "Franklin balance sheet",
        "富兰克林式表达",
        "Benefits of buying and losses of not buying, weighed against the customer's objections.",
        "把购买能得到的好处和不购买会蒙受的损失一一列出，与客户的顾虑放在天平两端比较。",
    ),
    "franklin_benefit": ("benefit of buying", "购买的好处", "", ""),
    "franklin_loss": ("loss of not buying", "不买的损失", "", ""),
    "franklin_objection": ("objection", "客户顾虑", "", ""),
    "contact_rule": (
        "12-contact rule",
        "12次沟通",
        "Pause a prospect after about twelve contacts without a deal.",
        "平均要沟通约12次才能达成一笔交易；沟通12次仍未成交，就应暂时放弃这位准客户。",
    ),
    "action_continue": ("keep contacting", "继续跟进", "", ""),
    "action_pause": ("pause", "暂时放弃", "", ""),
    "action_won": ("won", "已成交", "", ""),
    "action_lost": ("lost", "已失败", "", ""),
    "buying_signal": (
        "buying signal",
        "购买信号",
        "A hint that the prospect is ready to decide.",
        "准客户准备做决定时流露出的迹象，例如询问售后服务或付款条件。",
    ),
    "acquisition_cost": (
        "cost of winning a customer",
        "争取新客户的成本",
        "Rule of thumb: winning a new customer costs 5–6× keeping an existing one.",
        "一条经验法则：争取一位新客户的成本，是保留一位老客户的5～6倍。",
    ),
    "girard_250": (
        "Joe Girard's law of 250",
        "乔·吉拉德的250原则",
        "Each customer knows about 250 people who will hear how they were treated.",
        "每位客户身后大约有250位亲友，他们都会听说这位客户受到了怎样的对待。",
    ),
    "acq_acquire": ("win new customers", "争取新客户", "", ""),
    "acq_retain": ("keep existing ones", "保留老客户", "", ""),
    "contact_limit": ("contact limit", "沟通次数上限", "", ""),
    "saved_cost": ("cost saved", "节省的成本", "", ""),
    "lost_margin": ("margin of deals lost", "损失的利润", "", ""),
    "stage": ("stage", "阶段", "", ""),
    "weight": ("weight", "权重", "", ""),
    # ---- chapter 4: satisfaction and complaints (add keys below this line)
    "complaint": (
        "complaint",
        "客户投诉",
        "An action a customer takes because a product or service did not satisfy them.",
        "客户因为对产品或服务不满意而采取的行动，例如打电话、写信或当面抱怨。",
    ),
    "complaint_iceberg": (
        "complaint iceberg",
        "投诉冰山",
        "The few complaints we receive stand for many unhappy customers who leave without a word.",
        "企业收到的投诉只是冰山一角，背后还有许多不满意、却一声不吭就离开的客户。",
    ),
    "complaint_handling": (
        "complaint handling",
        "处理投诉",
        "The six steps from apology to reviewing the cause.",
        "处理客户投诉的六个步骤：从道歉开始，到分析原因、防止同类问题再次发生为止。",
    ),
    "customer_service": (
        "customer service",
        "客户服务",
        "Support given to customers before, during and after the sale.",
        "在售前、售中和售后为客户提供的各种支持。",
    ),
    "follow_up": (
        "follow-up call",
        "回访",
        "Calling the customer back after the remedy to ask whether all is well.",
        "问题解决之后给客户打电话，询问他是否满意。",
    ),
    "repeat_complainer": (
        "repeat complainer",
        "重复投诉客户",
        "A customer who complained at least twice.",
        "至少投诉过两次的客户。",
    ),
    "cause": ("cause", "投诉原因", "", ""),
    "hours": ("hours", "小时", "", ""),
    "step_apologise": ("1 apologise", "1 道歉", "", ""),
    "step_restate": ("2 restate", "2 复述确认", "", ""),
    "step_reassure": ("3 reassure", "3 表态与安抚", "", ""),
    "step_remedy": ("4 remedy", "4 补偿解决", "", ""),
    "step_follow_up": ("5 follow up", "5 一周内回访", "", ""),
    "step_review": ("6 review cause", "6 分析原因与预防", "", ""),
    "ice_complaints": ("complaints received", "收到的投诉", "", ""),
    "ice_unhappy": ("unhappy customers", "不满意的客户", "", ""),
    "ice_leave": ("leave quietly", "悄悄离开", "", ""),
    "ice_lost": ("never come back", "永不回来", "", ""),
    "ice_told": ("people told", "听到抱怨的人", "", ""),
    "ice_preventable": ("lost to poor service", "因服务不佳而流失", "", ""),
    "service_model": (
        "service model",
        "服务模型",
        "A way of picturing the parts of a service experience.",
        "用来描述服务体验由哪些部分组成的一种框架。",
    ),
    "excellent_service": (
        "six keys to excellent service",
        "卓越服务的六个关键",
        "Customer first, staff at the centre, leadership, system support, measurement, improvement.",
        "实现卓越服务的六个关键是：客户为先、员工为本、领导才能、系统支援、考核与评价、不断改进。",
    ),
    "satisfaction_kinds": (
        "kinds of satisfaction",
        "客户满意的分类",
        "Product, service and internal-customer satisfaction.",
        "客户满意分为产品满意、服务满意和内部客户满意三类。",
    ),
    "satisfaction_index": (
        "satisfaction index",
        "客户满意度指数",
        "Mean performance ratings rescaled to 0–100, weighted across categories.",
        "把各项表现评分的平均值换算成0～100分，再按类别加权汇总。",
    ),
    "survey_indicator": (
        "satisfaction indicator",
        "满意测评指标",
        "One question of the survey instrument (8 categories, 40 indicators).",
        "测评问卷中的一个问题；整份问卷共8类、40个指标。",
    ),
    "importance": (
        "importance",
        "重要性",
        "How much an indicator matters to the customer (1–5).",
        "某项指标对客户有多重要，按1～5分评分。",
    ),
    "performance": (
        "performance",
        "表现",
        "How well we do on an indicator in the customer's eyes (1–5).",
        "在客户眼中，企业在某项指标上做得有多好，按1～5分评分。",
    ),
    "ipa": (
        "importance–performance analysis",
        "重要性—表现分析",
        "Indicators placed by mean importance and performance into four quadrants.",
        "按平均重要性和平均表现把各项指标分入四个象限，找出最需要改进的地方。",
    ),
    "ipa_concentrate": ("concentrate here", "重点改进区", "", ""),
    "ipa_keep_up": ("keep up the good work", "继续保持区", "", ""),
    "ipa_low_priority": ("low priority", "次要改进区", "", ""),
    "ipa_overkill": ("possible overkill", "过度投入区", "", ""),
    "csat": (
        "customer satisfaction score (CSAT)",
        "客户满意率",
        "Percentage of answers in the top boxes of the satisfaction scale.",
        "在满意度量表上选择最高几档的回答所占的百分比。",
    ),
    "nps": (
        "Net Promoter Score (NPS)",
        "净推荐值",
        "% promoters (9–10) − % detractors (0–6) on 'would you recommend us?'.",
        "问客户“您会向朋友推荐我们吗？”（0～10分），用推荐者（9～10分）的百分比减去贬损者（0～6分）的百分比。",
    ),
    "nps_detractor": ("detractor", "贬损者", "", ""),
    "nps_passive": ("passive", "被动者", "", ""),
    "nps_promoter": ("promoter", "推荐者", "", ""),
    # ---- chapter 5: loyalty, retention, CLV (add keys below this line)
    "loy_loyal": (
        "loyal",
        "忠诚客户",
        "At least three repeat purchases: buys again out of trust, not chance.",
        "至少重复购买三次的客户：出于信任而一再购买，而不是碰巧。",
    ),
    "loy_repeat": (
        "repeat buyer",
        "重复购买客户",
        "Bought again, but fewer times than loyalty needs.",
        "重复购买过，但次数还没有达到忠诚客户的标准。",
    ),
    "loy_one_time": ("one-time buyer", "一次性客户", "Bought once and not again (yet).", "只买过一次，至今没有再买。"),
    "loy_partner": (
        "strategic partner",
        "战略伙伴",
        "High value and high loyalty: the ideal, trusted relationship.",
        "价值高，忠诚度也高，是最理想、最可信赖的关系。",
    ),
    "loy_retain": (
        "retain (vendor relationship)",
        "客户保留（卖主关系）",
        "High value, low loyalty: big buyers who see us as one supplier among many.",
        "价值高、忠诚度低：采购量大，但只把我们当作众多供应商中的一家。",
    ),
    "loy_develop": (
        "develop",
        "客户开发",
        "Low value, high loyalty: trusting customers who buy little.",
        "价值低、忠诚度高：信任我们，但买得不多。",
    ),
    "loy_build": (
        "build relationship",
        "建立关系（认知关系）",
        "Low value, low loyalty: a fragile acquaintance.",
        "价值低，忠诚度也低：彼此只是认识，关系很脆弱。",
    ),
    "loy_active": ("active", "活跃", "", ""),
    "loy_at_risk": ("at risk", "有流失风险", "", ""),
    "loy_lapsed": ("lapsed (win back)", "已流失（需挽回）", "", ""),
    "loy_cohort": (
        "cohort",
        "同期群",
        "Customers whose first purchase fell in the same period.",
        "首次购买发生在同一时期的一批客户。",
    ),
    "loy_cohort_retention": (
        "cohort retention",
        "同期群保留率",
        "Share of a cohort that buys again a given number of periods after its first purchase.",
        "同一个同期群中，首次购买若干期之后仍然再次购买的客户所占的比例。",
    ),
    "loy_periods_since": ("periods since first purchase", "首次购买后的期数", "", ""),
    "loy_repeat_purchases": ("repeat purchases", "重复购买次数", "", ""),
    "loy_value_loyalty": (
        "value × loyalty matrix",
        "客户价值—忠诚度矩阵",
        "Customers placed by value and loyalty into four kinds of relationship.",
        "按价值和忠诚度的高低，把客户关系分为四种。",
    ),
    "loy_win_back": (
        "win-back",
        "挽回流失客户",
        "Winning a lost customer back after finding why they left.",
        "先找出客户流失的原因，再设法把他们争取回来。",
    ),
    "loy_franchise": (
        "economic franchise",
        "经济特许权",
        "A product customers want, see no close substitute for and whose price is free: the power to price.",
        "客户需要、找不到相近的替代品、价格又不受管制的产品或服务，企业因此拥有定价的主动权。",
    ),
    "loy_key_priority": (
        "key-account priority",
        "大客户优先排序",
        "Ranking key accounts by value and potential.",
        "按价值和潜力给大客户排出先后次序。",
    ),
    "loy_budget": ("service budget", "服务资源", "", ""),
    # ---- casework 1-3 (add keys below this line)
    "cw_tier_silver": (
        "silver",
        "银卡客户",
        "Harrah's lowest card tier in this case: most players, small play.",
        "本案例中哈拉赌场最低一级的会员卡：人数最多，下注金额小。",
    ),
    "cw_harrahs": (
        "Harrah's Entertainment",
        "哈拉赌场",
        "The US casino group of case 1: card-based customer records, four tiers and comps for players who lose.",
        "案例一中的美国连锁赌场：用会员卡记录客户信息，把客户分为四个等级，并向输钱的客户返还部分赌资。",
    ),
    "cw_tier_gold": (
        "gold",
        "金卡客户",
        "Second card tier: regular players with moderate play.",
        "第二级会员卡：常来光顾、下注金额中等的客户。",
    ),
    "cw_tier_platinum": (
        "platinum",
        "白金卡客户",
        "Third card tier: frequent, high-value players.",
        "第三级会员卡：光顾频繁、价值较高的客户。",
    ),
    "cw_tier_diamond": (
        "diamond",
        "钻石客户",
        "The top card tier: the few most valuable players.",
        "最高一级会员卡：人数很少、价值最高的客户。",
    ),
    "cw_comp": (
        "comp",
        "免费赠送（返还）",
        "A free gift (room, meal, flight) returning part of what a player lost.",
        "送给输钱客户的免费赠品（客房、餐饮、机票等），相当于退还他们输掉的部分赌资。",
    ),
    "cw_comp_cost": ("comp cost", "返还成本", "", ""),
    "cw_value_kept": ("value kept by retention", "保留带来的价值", "", ""),
    "cw_tier": (
        "card tier",
        "会员等级",
        "A level of a loyalty card programme, set by the customer's value.",
        "会员卡计划中的一个等级，按客户价值确定。",
    ),
    "cw_desk_vip": (
        "VIP room",
        "贵宾室",
        "Where the lobby manager takes the most valuable visitors with a need.",
        "银行专门接待高价值客户的房间：大堂经理把有需求的高价值客户领到这里。",
    ),
    "cw_desk_advisor": (
        "wealth/loan advisor",
        "理财/贷款顾问",
        "A qualified prospect: money, authority and need.",
        "理财或贷款顾问的座席：合格准客户（购买能力、购买决定权和购买需求兼备）由他们接待。",
    ),
    "cw_desk_counter": (
        "counter/self-service",
        "柜台/自助设备",
        "Routine business, served quickly without selling.",
        "办理日常业务的客户去柜台或自助设备：快速办完，不做推销。",
    ),
    "cw_lobby_manager": (
        "lobby manager",
        "大堂经理",
        "The bank employee who greets, identifies and directs visitors.",
        "在银行大堂迎接、识别并引导客户的员工。",
    ),
    "cw_serve_order": ("serving order", "服务顺序", "", ""),
    "cw_no_complaint": ("no complaint", "无投诉", "", ""),
    "cw_followed_in_time": ("followed up in time", "按时回访", "", ""),
    "cw_followed_late": ("followed up late/never", "回访过迟或未回访", "", ""),
    "cw_customer_file": (
        "customer file",
        "客户档案",
        "The record of one customer: contact, preferences, volume, credit.",
        "记录一位客户情况的资料，包括联系方式、偏好、用量和信用等。",
    ),
    "cw_new_files": ("new customer files", "新建客户档案", "", ""),
    "cw_target": ("target", "目标", "", ""),
    "cw_month": ("month", "月份", "", ""),
    # ---- casework 4-6 (add keys below this line)
    "cw4_late": (
        "late (ran out first)",
        "送晚了（已断米）",
        "The household ran out of rice before the delivery came.",
        "米还没送到，这户人家已经断米了。",
    ),
    "cw4_rice_shop": (
        "Wang Yongqing's rice shop",
        "王永庆的米店",
        "The rice shop of case 4: Wang noted each household's size and use and delivered before it ran out.",
        "案例四中王永庆早年开的米店：他记下每户人家的人口和用米量，在米快吃完之前主动送米上门。",
    ),
    "cw4_run_out": (
        "run-out date",
        "断米日期",
        "The day a household is expected to finish its rice.",
        "预计一户人家把米吃完的那一天。",
    ),
    "cw4_on_time": (
        "on time",
        "及时送到",
        "The rice came shortly before the household ran out.",
        "在这户人家快要断米之前把米送到。",
    ),
    "cw4_early": (
        "early",
        "送早了",
        "The rice came while the household still had plenty left.",
        "这户人家的米还剩很多，新米就送到了。",
    ),
    "cw4_predictive": (
        "predicted run-out",
        "按预测送米",
        "Deliver a little before each household's forecast run-out date.",
        "在预测的每户断米日期之前稍早一点送米。",
    ),
    "cw4_fixed": (
        "fixed schedule",
        "固定周期送米",
        "Visit every household once per fixed interval, whatever its need.",
        "不管需要与否，每隔固定的天数给每户送一次米。",
    ),
    "cw4_days_without": ("days without rice", "断米天数", "", ""),
    "cw4_deliveries": ("deliveries", "送米户数", "", ""),
    "cw4_delivery_date": ("delivery date", "送米日期", "", ""),
    "cw5_monthly": ("monthly", "每月回顾", "Review the client's assets every month.", "每月为客户做一次资产回顾。"),
    "cw5_review": (
        "asset review",
        "资产回顾",
        "A regular meeting in which the relationship manager goes through a client's assets and what changed.",
        "客户经理定期与客户一起查看资产状况、近期变化和下一步的安排。",
    ),
    "cw5_quarterly": (
        "quarterly",
        "每季回顾",
        "Review the client's assets every quarter.",
        "每季度为客户做一次资产回顾。",
    ),
    "cw5_half_yearly": (
        "half-yearly",
        "每半年回顾",
        "Review the client's assets twice a year.",
        "每半年为客户做一次资产回顾。",
    ),
    "cw5_deposits": ("deposits", "存款", "", ""),
    "cw5_bonds": ("bonds", "债券", "", ""),
    "cw5_funds": ("funds", "基金", "", ""),
    "cw5_stocks": ("stocks", "股票", "", ""),
    "cw5_insurance": ("insurance (cash value)", "保险（现金价值）", "", ""),
    "cw5_asset_mix": (
        "asset mix",
        "资产配置",
        "Each asset class's share of a client's assets.",
        "各类资产在客户总资产中所占的比例。",
    ),
    "cw5_asset_trend": (
        "asset trend",
        "资产变化趋势",
        "A client's assets quarter by quarter.",
        "客户资产逐季的变化。",
    ),
    "cw5_quarter": ("quarter", "季度", "", ""),
    "cw5_aum": ("assets (NT$)", "资产（新台币）", "", ""),
    "cw6_service": (
        "service recovery",
        "服务补救",
        "An unhappy key account: fix the service first.",
        "对服务不满意的大客户：先把服务补救好。",
    ),
    "cw6_plan": (
        "key-account plan",
        "大客户管理计划",
        "One table of the key accounts' value, potential, needs, resources and risks (case 6).",
        "把各个大客户的价值、潜力、需求、资源分配和风险汇总在一张表里的工作计划（案例六）。",
    ),
    "cw6_price": (
        "better price terms",
        "价格优惠",
        "A price-sensitive key account: work on terms and total cost.",
        "对价格敏感的大客户：在付款条件和总成本上下功夫。",
    ),
    "cw6_partnership": (
        "joint solutions",
        "合作方案",
        "A key account keen on partnership: co-develop solutions.",
        "热衷合作的大客户：与其共同开发解决方案。",
    ),
    "cw6_supply": (
        "reliable supply",
        "稳定供货",
        "A key account that wants dependable supply and service.",
        "看重供货和服务是否稳定可靠的大客户。",
    ),
    "cw6_value": ("value (revenue)", "客户价值（销售额）", "", ""),
    "cw6_potential": ("potential (extra revenue)", "客户潜力（新增销售额）", "", ""),
    "cw6_key": ("key account", "大客户", "", ""),
    "cw6_other": ("other account", "其他客户", "", ""),
    # ---- chapter 6: customer records (crmlib.records; add keys below this line)
    "rec_archive": (
        "customer archive",
        "客户档案",
        "All the records a company keeps about its customers, kept complete and current.",
        "企业保存的全部客户记录，要求完整，并及时更新。",
    ),
    "rec_card": (
        "customer card",
        "客户卡",
        "One customer's record on a single card: who they are, who decides, grade, needs, finances, credit, contacts.",
        "把一位客户的情况记在一张卡片上：客户是谁、谁做购买决定、客户等级、需求、财务、信用和联系记录。",
    ),
    "rec_separation": (
        "separation and integration of tables",
        "信息的分离与整合",
        "Basic data, follow-ups and purchases in separate tables, joined again through the customer number.",
        "把基础资料、跟进记录和购买记录分别存放在不同的表里，再通过客户编号把它们关联起来。",
    ),
    "rec_foreign_key": (
        "foreign key",
        "外键",
        "A column that must name a row of another table, e.g. a purchase's customer number.",
        "某一列的值必须对应另一张表中的某一行，例如购买记录中的客户编号必须在客户表中存在。",
    ),
    "rec_transaction": (
        "transaction (all or nothing)",
        "事务（全部成功或全部撤销）",
        "A group of changes saved together or not at all.",
        "一组修改要么一起保存，要么全部撤销。",
    ),
    "rec_dynamic": (
        "dynamic management",
        "动态管理",
        "Keeping customer files up to date and recording every change.",
        "随时更新客户档案，并记下每一次变动。",
    ),
    "rec_focus": (
        "focus on key customers",
        "突出重点",
        "Contacting each grade of customer as often as its value deserves.",
        "按客户等级确定联系的频率：客户价值越高，联系越勤。",
    ),
    "rec_flexible": (
        "flexible use",
        "灵活运用",
        "Putting the files in the hands of those who serve the customer, when they need them.",
        "在需要的时候把档案交到为客户服务的人手里，让死资料变成活资料。",
    ),
    "rec_responsible": (
        "one person responsible",
        "专人负责",
        "Each customer file has one owner who keeps it and answers for it.",
        "每份客户档案指定一人保管，并由这个人对档案负责。",
    ),
    "rec_purchase_cycle": (
        "purchase cycle",
        "购买周期",
        "The usual time between a customer's purchases.",
        "客户两次购买之间通常相隔的时间。",
    ),
    "rec_proactive": (
        "proactive contact",
        "主动联系",
        "Getting in touch before the customer needs to come to us.",
        "不等客户找上门，提前主动与客户联系。",
    ),
    "rec_birthday_file": (
        "birthday file",
        "生日档案",
        "Contacts' birthdays kept so that greetings go out on time.",
        "记下联系人的生日，以便按时送上祝福。",
    ),
    "rec_basic": (
        "basic data",
        "基础资料",
        "Name, address, phone, owners and managers, and the people we deal with.",
        "客户的名称、地址、电话、所有者和经营管理者，以及与我们打交道的人。",
    ),
    "rec_traits": (
        "customer characteristics",
        "客户特征",
        "Line of business, size, market, needs and potential.",
        "客户所属的行业、规模、市场、需求和发展潜力。",
    ),
    "rec_business": (
        "business status",
        "业务状况",
        "The relationship with us: history, attitude, who looks after it.",
        "客户与本企业的业务关系：往来历史、合作态度，以及由谁负责。",
    ),
    "rec_transactions": (
        "transaction status",
        "交易现状",
        "What and how it buys, its finances, terms and credit.",
        "客户买什么、怎么买，以及财务状况、交易条件和信用状况。",
    ),
    "rec_customer_id": ("customer number (card no.)", "客户编号（卡号）", "", ""),
    "rec_name": ("name", "客户名称", "", ""),
    "rec_decision_maker": ("decision maker", "购买决策人", "", ""),
    "rec_grade": ("grade", "客户等级", "", ""),
    "rec_address": ("address", "地址", "", ""),
    "rec_phone": ("phone", "电话", "", ""),
    "rec_needs": ("needs", "需求状况", "", ""),
    "rec_finances": ("finances", "财务状况", "", ""),
    "rec_operations": ("operations", "经营状况", "", ""),
    "rec_purchasing": ("purchasing", "采购状况", "", ""),
    "rec_credit": ("credit", "信用状况", "", ""),
    "rec_relations": ("relations", "对外关系状况", "", ""),
    "rec_contact_person": ("contact person", "业务联系人", "", ""),
    "rec_created_by": ("card created by", "建卡人", "", ""),
    "rec_created_on": ("card created on", "建卡日期", "", ""),
    "rec_notes": ("notes", "备注", "", ""),
    "rec_owner": ("owner (person responsible)", "负责人", "", ""),
    "rec_birthday": ("contact's birthday", "联系人生日", "", ""),
    "rec_summary": ("summary", "概况", "", ""),
    "rec_n_purchases": ("purchases", "购买次数", "", ""),
    "rec_revenue": ("revenue", "购买金额", "", ""),
    "rec_last_purchase": ("last purchase", "最近购买", "", ""),
    "rec_mean_gap_days": ("days between purchases", "平均购买间隔（天）", "", ""),
    "rec_last_follow_up": ("last follow-up", "最近跟进", "", ""),
    "rec_n_complaints": ("complaints", "投诉次数", "", ""),
    "rec_latest_follow_ups": ("latest follow-ups", "最近跟进记录", "", ""),
    "rec_latest_purchases": ("latest purchases", "最近购买记录", "", ""),
    "rec_follow_ups": ("follow-ups", "跟进记录", "", ""),
    "rec_purchases": ("purchases", "购买记录", "", ""),
    "rec_complaints": ("complaints", "投诉记录", "", ""),
    "rec_date": ("date", "日期", "", ""),
    "rec_amount": ("amount", "金额", "", ""),
    "rec_channel": ("channel", "方式", "", ""),
    "rec_by": ("by", "跟进人", "", ""),
    "rec_next_step": ("next step", "下一步", "", ""),
    "rec_ref": ("reference no.", "单据号", "", ""),
    "rec_product": ("product", "产品", "", ""),
}

# ============================================================================ one term per concept
#: Chinese variants the workbook does not write: for each glossary key, the variants of its term
#: (regular expressions; most are plain words) and what to write instead. tests/test_terms.py looks
#: for them in every Chinese text crmlib shows (TEXTS, labels, definitions, the reference tables)
#: and in the notebooks, the documents and crmlib's own sources, and names the file and line of each hit.
#: The Chinese headings of computed tables' columns and index names, for display only
#: (:func:`display_table`): the tables themselves keep the English names that the shared code of both
#: editions uses (``summary["revenue"]``); a notebook started with ``lang = "zh"`` shows these instead.
#: Terms of the glossary where it has one (share_of_wallet 钱包份额, frequency 消费频率 …).
COLUMN_LABELS: dict[str, str] = {
    # the purchase log, the prospect list, CDNOW
    "transaction_id": "交易编号",
    "customer_id": "客户编号",
    "date": "日期",
    "amount": "金额",
    "discount_pct": "折扣百分比",
    "margin": "边际贡献",
    "channel": "渠道",
    "region": "地区",
    "segment": "细分群体",
    "prospect_id": "准客户编号",
    "source": "来源",
    "money": "购买能力",
    "authority": "购买决定权",
    "need": "购买需求",
    "expected_close_days": "预计成交天数",
    "estimated_value": "预计价值",
    "quantity": "数量",
    "est_category_spend": "品类年消费估计",
    # customer summaries, RFM
    "n_transactions": "购买次数",
    "first_purchase": "首次购买",
    "last_purchase": "最近一次购买",
    "last": "最近一次购买",
    "revenue": "收入",
    "recency_days": "最近一次消费距今天数",
    "frequency": "消费频率",
    "monetary": "消费金额",
    "r_level": "R 档",
    "fm_level": "FM 档",
    "rfm_code": "RFM 代码",
    "rfm_score": "RFM 总分",
    "customers": "客户数",
    "people": "人数",
    "prospects": "准客户数",
    "mean_recency_days": "平均距今天数",
    "mean_frequency": "平均消费频率",
    "revenue_share": "收入占比",
    # profitability, concentration, ABC
    "orders": "订单数",
    "profit": "利润",
    "tier": "层级",
    "total_margin": "边际贡献合计",
    "margin_share": "边际贡献占比",
    "mean_margin": "平均边际贡献",
    "margin_rate": "边际贡献率",
    "share": "占比",
    "cum_share": "累计占比",
    "share_before": "此前累计占比",
    "customer_share": "客户占比",
    "class": "类别",
    "abc": "ABC 分类",
    # the value matrix, states, MAN, deal time, relationship type
    "current": "当前价值",
    "wallet": "钱包",
    "spend": "消费额",
    "headroom": "钱包空间",
    "share_of_wallet": "钱包份额",
    "potential": "潜在价值",
    "quadrant": "象限",
    "strategy": "策略",
    "state": "客户状态",
    "days_silent": "未购买天数",
    "man_code": "MAN 代码",
    "priority": "优先级",
    "deal_stage": "成交时间分类",
    "paid": "实付金额",
    "list": "标价金额",
    "list_price": "标价",
    "discount_share": "折扣百分比",
    "type": "客户类型",
    "value_rank": "价值排名",
}


def display_table(table: Any, lang: str | None = None) -> Any:
    """``table`` (a DataFrame or Series) as a reader of ``lang`` sees it: in Chinese, the column
    names, the index names and a Series' name that :data:`COLUMN_LABELS` knows become their Chinese
    headings; names it does not know, the values and the table itself stay as they are (a copy is
    returned). Anything else, and every table in English, is returned unchanged.

    >>> t = pd.DataFrame({"revenue": [950.0], "R": [4]}, index=pd.Index(["A"], name="customer_id"))
    >>> display_table(t, "zh")
                 收入  R
    客户编号
    A     950.0  4
    >>> display_table(t, "en") is t, t.columns.tolist()
    (True, ['revenue', 'R'])
    """
    lang = resolve(lang, "display_table")
    if lang == "en" or not isinstance(table, (pd.DataFrame, pd.Series)):
        return table

    def name(n: Any) -> Any:
        return COLUMN_LABELS.get(n, n) if isinstance(n, str) else n

    out = table.copy(deep=False)
    out.index = out.index.set_names([name(n) for n in out.index.names])
    if isinstance(out, pd.Series):
        out.name = name(out.name)
        return out
    if isinstance(out.columns, pd.MultiIndex):
        out.columns = pd.MultiIndex.from_tuples(
            [tuple(name(x) for x in t) for t in out.columns], names=[name(n) for n in out.columns.names]
        )
    else:
        out.columns = pd.Index([name(c) for c in out.columns], name=name(out.columns.name))
    return out


def show_tables_in(lang: str | None = None) -> bool:
    """Make the notebook (IPython) show every DataFrame and Series through :func:`display_table` in
    ``lang``: Chinese headings for a Chinese reader, the tables themselves unchanged; ``"en"`` removes
    that again. Called by :func:`crmlib.start`. Returns whether a notebook was there to set up
    (outside IPython, nothing is done).

    >>> show_tables_in("zh")  # not in a notebook
    False
    """
    lang = resolve(lang, "show_tables_in")
    ipython = sys.modules.get("IPython")  # a notebook has imported it; elsewhere nothing to import
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return False
    html = shell.display_formatter.formatters["text/html"]
    plain = shell.display_formatter.formatters["text/plain"]
    for kind in (pd.DataFrame, pd.Series):
        if lang == "en":
            html.pop(kind, None)
            plain.pop(kind, None)
            continue
        if kind is pd.DataFrame:
            html.for_type(kind, lambda t: display_table(t, lang)._repr_html_())
        plain.for_type(kind, lambda t, p, cycle: p.text(repr(display_table(t, lang))))
    pd.set_option("display.unicode.east_asian_width", lang != "en")  # Chinese headings line up
    return True


AVOIDED: dict[str, dict[str, str]] = {
    # seed 004 writes 顾客 and 用户, the other seeds 客户: the workbook writes 客户 throughout
    "customers": {"顾客": "客户"},
    "complaint": {"用户投诉": "客户投诉"},
    "customer_service": {"用户服务": "客户服务", "用户为上": "客户至上"},
    # 潜在客户 is the customer state (seed 000) only; a person on the list is a 准客户 (seeds 002,
    # 004), the M+A+N ones 合格准客户, and the deal-time class "potential" is 意向客户
    "prospect": {"潜在客户名单": "准客户名单"},
    "qualified": {"标准潜在客户": "合格准客户", "合格潜在客户": "合格准客户"},
    "potential_deal": {
        "有望客户、潜在客户": "有望客户、意向客户",
        "有望/潜在": "有望/意向",
        "有望客户和潜在客户": "有望客户和意向客户",
    },
    # the value-matrix quadrants are the labels of QUADRANT_KEYS (重点保持, 一般维持, 重点发展, 降低成本)
    "invest": {"重点投入": "重点保持"},
    # retention is 客户保留 (seed 002); 保持 stays a plain verb (保持联系, 继续保持区)
    "retention": {
        "客户保持(?!联系)": "客户保留",
        "保持率": "保留率",
        "返还与保持": "返还与保留",
        "多保持": "多保留",
        "保持(价值|成本|带来)": "保留价值、保留成本、保留带来",
    },
    "loy_cohort": {"同期客户群": "同期群"},
    # the first group of customer information is 基础资料 (seeds 001, 002)
    "rec_basic": {"基本资料": "基础资料"},
    # Harrah's is 哈拉 in seed 001
    "cw_harrahs": {"哈拉斯": "哈拉"},
    "pareto": {"二八定律": "二八法则"},
    "money": {"购买力": "购买能力"},
    "authority": {"决策权": "购买决定权"},
    "discount_pct": {"折扣率": "折扣百分比"},
    "recency": {"最近购买时间": "最近一次消费"},
    "margin": {"毛利": "边际贡献"},
    "ipa": {"重要性—绩效": "重要性—表现", "重要性-绩效": "重要性—表现"},
    "lead_channel": {"开发客户的方法": "寻找客户的方法", "资料查阅": "资料查询"},
    # seed 002: the relationship manager reviews the assets (资产回顾), not 检视
    "cw5_review": {"检视": "回顾"},
    "cw6_plan": {"大客户计划": "大客户管理计划"},
    "cw4_run_out": {"吃完米": "断米"},
    "cw4_rice_shop": {"王永庆卖米": "王永庆的米店"},
    "girard_250": {"250定律": "250原则"},
}

#: Chinese labels that several glossary keys share, and why: each names one concept in several
#: tables, or the seeds use one word for two ideas and the definitions tell them apart. Any other
#: label two keys share is a test failure (one term, one concept).
SHARED_LABELS: dict[str, str] = {
    "大客户": "a customer that buys much (seed 000, chapter 2) and a key account (seed 002, chapter 5): "
    "the seeds' word for both; the definitions of big_customer and key_account tell them apart",
    "流失客户": "the lost customer, as a customer state and as an RFM segment",
    "理想客户": "the ideal customer, and the selection principle 'choose ideal customers'",
    "客户开发": "customer development, and the value × loyalty quadrant seed 002 names after it",
    "忠诚客户": "the loyal customer, as an RFM segment and by repeat purchases",
    "客户档案": "the customer file of one customer and the archive of them all (the seeds' word for both)",
    "其他客户": "the accounts that are not big or key accounts, in two tables",
    "金额": "the amount column of two tables",
}


# ============================================================================ sentences (text templates)
# key: (English template, 中文模板). Every sentence crmlib shows (widget results, plot titles and
# notes, descriptive tables) is a template here, filled by ``text(key, lang, **values)`` with the
# rules of ``str.format`` (``{n:,}``, ``{share:.0%}``); both languages of a key use the same fields
# (a test checks). A sentence that depends on a count has two keys, ``<key>_one`` and ``<key>_other``,
# and ``text(key, n=...)`` picks one. A new language adds a column here, not code elsewhere.
# Each section belongs to one module; add keys inside its section, never between sections.
TEXTS: dict[str, tuple[str, str]] = {
    # ---- shared by several modules (add keys below this line)
    "none_yet": ("none yet", "暂无"),
    "n_customers_one": ("{n:,} customer", "{n:,} 位客户"),
    "n_customers_other": ("{n:,} customers", "{n:,} 位客户"),
    "list_sep": (", ", "、"),
    # glossary(): the headings of the table
    "glossary_h_english": ("English", "英文"),
    "glossary_h_chinese": ("中文", "中文"),
    "glossary_h_definition": ("definition", "释义"),
    # ---- end of shared
    # ---- crmlib.widgets (add keys below this line)
    # shared by the explorers
    "w_list_sep": (" · ", " · "),
    "w_item": ("{name}: <b>{n}</b>", "{name}：<b>{n}</b>"),
    "w_item_share": ("{name}: <b>{n}</b> ({share:.0%})", "{name}：<b>{n}</b>（{share:.0%}）"),
    "w_all": ("(all)", "(全部)"),
    # start: glossary search
    "w_glossary_search": ("search", "搜索"),
    "w_glossary_hint": ("e.g. loyal or 忠诚", "例如“忠诚”或“loyal”"),
    "w_glossary_terms_one": ("{n} term", "{n} 个术语"),
    "w_glossary_terms_other": ("{n} terms", "{n} 个术语"),
    "w_glossary_first": (", showing the first {rows}", "，这里只显示前 {rows} 个"),
    # chapter 1: MAN, 80/20, RFM, value matrix
    "w_man_money": ("Money (can pay)", "购买能力（M）"),
    "w_man_authority": ("Authority (decides)", "购买决定权（A）"),
    "w_man_need": ("Need", "购买需求（N）"),
    "w_man_verdict": (
        "<b>{code}</b> — priority {priority} of 8<br>{strategy}",
        "<b>{code}</b>：优先顺序第 {priority} 位（共 8 位）<br>{strategy}",
    ),
    "w_pareto_fraction": ("top share", "前多大比例的客户"),
    "w_pareto_verdict": (
        "The top <b>{fraction:.0%}</b> of customers hold <b>{share:.1%}</b> of the value.",
        "前 <b>{fraction:.0%}</b> 的客户贡献了 <b>{share:.1%}</b> 的价值。",
    ),
    "w_rfm_bins": ("bins", "分档数"),
    "w_rfm_segment_one": (
        "<b>{segment}</b>: {n} customer, {share:.1%} of value, mean recency {recency:.0f} days, "
        "mean frequency {frequency:.1f}",
        "<b>{segment}</b>：{n} 位客户，价值占比 {share:.1%}，最近一次消费平均在 {recency:.0f} 天前，"
        "平均消费频率 {frequency:.1f} 次",
    ),
    "w_rfm_segment_other": (
        "<b>{segment}</b>: {n} customers, {share:.1%} of value, mean recency {recency:.0f} days, "
        "mean frequency {frequency:.1f}",
        "<b>{segment}</b>：{n} 位客户，价值占比 {share:.1%}，最近一次消费平均在 {recency:.0f} 天前，"
        "平均消费频率 {frequency:.1f} 次",
    ),
    "w_rfm_overview_one": (
        "{n} customer in {segments} segment; largest: <b>{largest}</b>",
        "{n} 位客户，分布在 {segments} 个细分群体；最大的是 <b>{largest}</b>",
    ),
    "w_rfm_overview_other": (
        "{n} customers in {segments} segments; largest: <b>{largest}</b>",
        "{n} 位客户，分布在 {segments} 个细分群体；最大的是 <b>{largest}</b>",
    ),
    "w_vm_current_q": ("current cut q", "当前价值分位点"),
    "w_vm_potential_q": ("potential cut q", "潜在价值分位点"),
    # chapter 2: ideal customers, aging
    "w_ideal_no_weight": ("Give at least one criterion a weight above zero.", "至少有一个权重须大于零。"),
    "w_ideal_top": ("Top three: {names}", "排名前三：{names}"),
    "w_aging_as_of": ("as of", "截至"),
    "w_aging_buckets": ("buckets", "账龄分段"),
    "w_aging_verdict_one": (
        "open <b>{total:,.0f}</b> in {n} invoice · overdue <b>{overdue:.1%}</b> · DSO <b>{dso:.1f}</b> days",
        "未收 <b>{total:,.0f}</b>，共 {n} 张发票 · 逾期 <b>{overdue:.1%}</b> · 应收账款周转天数 <b>{dso:.1f}</b> 天",
    ),
    "w_aging_verdict_other": (
        "open <b>{total:,.0f}</b> in {n} invoices · overdue <b>{overdue:.1%}</b> · DSO <b>{dso:.1f}</b> days",
        "未收 <b>{total:,.0f}</b>，共 {n} 张发票 · 逾期 <b>{overdue:.1%}</b> · 应收账款周转天数 <b>{dso:.1f}</b> 天",
    ),
    "w_aging_provision": (" · provision <b>{provision:,.0f}</b>", " · 坏账准备 <b>{provision:,.0f}</b>"),
    # chapter 3: funnels, Franklin balance, contact limit
    "w_funnel_first": ("slice A", "比较 A"),
    "w_funnel_second": ("slice B", "比较 B"),
    "w_funnel_line_one": (
        "<b>{group}</b>: {n} lead → {bought:.1%} buy; weakest step: <b>{step}</b> ({conversion:.0%})",
        "<b>{group}</b>：{n} 条线索 → {bought:.1%} 最终购买；转化最低的一步：<b>{step}</b>（{conversion:.0%}）",
    ),
    "w_funnel_line_other": (
        "<b>{group}</b>: {n} leads → {bought:.1%} buy; weakest step: <b>{step}</b> ({conversion:.0%})",
        "<b>{group}</b>：{n} 条线索 → {bought:.1%} 最终购买；转化最低的一步：<b>{step}</b>（{conversion:.0%}）",
    ),
    "w_franklin_benefits": ("benefits", "好处"),
    "w_franklin_losses": ("losses", "损失"),
    "w_franklin_objections": ("objections", "顾虑"),
    "w_franklin_verdict": (
        "<b>{for_buying:.1f}</b> for · <b>{against:.1f}</b> against — {verdict}",
        "<b>{for_buying:.1f}</b> 支持 · <b>{against:.1f}</b> 反对 — {verdict}",
    ),
    "w_franklin_slip": ("⚠️ {error}", "⚠️ {error}"),
    "w_contact_limit": ("limit", "上限"),
    "w_contact_verdict": (
        "Limit <b>{limit}</b>: pauses {paused} open leads; saves {saved:,} contacts ({saved_cost:,.0f}) "
        "but loses {lost} deals ({lost_margin:,.0f} margin) → net <b>{net:,.0f}</b>. "
        "Best limit on this data: {best}.",
        "上限 <b>{limit}</b> 次：暂停 {paused} 条进行中的线索；节省 {saved:,} 次沟通（{saved_cost:,.0f}），"
        "但失去 {lost} 笔成交（利润 {lost_margin:,.0f}）→ 净效果 <b>{net:,.0f}</b>。"
        "本数据上的最佳上限：{best}。",
    ),
    # chapter 4: importance-performance, complaint iceberg
    "w_ipa_segment": ("segment", "细分群体"),
    "w_ipa_cut": ("cut at", "分界线"),
    "w_ipa_verdict": (
        "<b>{quadrant}</b>: {n} of {total} — {items}{more}",
        "<b>{quadrant}</b>：{total} 项中有 {n} 项 — {items}{more}",
    ),
    "w_iceberg_complaints": ("complaints", "投诉数"),
    "w_iceberg_complain_share": ("who complain", "投诉者比例"),
    "w_iceberg_leave_share": ("leave quietly", "悄悄离开比例"),
    "w_iceberg_never_return": ("never return", "永不回来比例"),
    "w_iceberg_tell_few": ("most tell", "告诉几人（80%）"),
    "w_iceberg_tell_many": ("some tell", "告诉几人（20%）"),
    "w_iceberg_verdict": (
        "{complaints:,.0f} complaints → about <b>{unhappy:,.0f}</b> unhappy customers, "
        "<b>{lost:,.0f}</b> never come back, <b>{told:,.0f}</b> people hear about it.",
        "{complaints:,.0f} 条投诉 → 约 <b>{unhappy:,.0f}</b> 位不满意的客户，"
        "<b>{lost:,.0f}</b> 位永不回来，<b>{told:,.0f}</b> 人听到抱怨。",
    ),
    # chapter 5: value x loyalty, CLV, retention economics
    "w_vl_min_repeats": ("min repeats", "忠诚门槛"),
    "w_vl_value_q": ("value cut q", "价值分位"),
    "w_clv_customer": ("customer", "客户"),
    "w_clv_horizon": ("horizon (months)", "期限（月）"),
    "w_clv_discount": ("discount / year", "年折现率"),
    "w_clv_verdict": (
        "<b>{customer}</b>: {frequency} repeat purchases, last in week {recency:.0f} of {T:.0f} → "
        "P(alive) <b>{prob_alive:.0%}</b>, expected purchases in {months} months "
        "<b>{expected:.2f}</b> at about {spend:,.0f} each → CLV <b>{clv:,.0f}</b>",
        "<b>{customer}</b>：重复购买 {frequency} 次，最近一次在第 {recency:.0f} 周（共 {T:.0f} 周）→ "
        "仍活跃概率 <b>{prob_alive:.0%}</b>，未来 {months} 个月预计购买 "
        "<b>{expected:.2f}</b> 次，每次约 {spend:,.0f} → CLV <b>{clv:,.0f}</b>",
    ),
    "w_retention_gain": ("extra kept", "多保留"),
    "w_retention_multiple": ("acq. multiple", "获客倍数"),
    "w_retention_reach": ("reach", "影响人数"),
    "w_retention_verdict": (
        "Keeping <b>{kept:,.0f}</b> more customers saves <b>{saved:,.0f}</b> of sales cost; "
        "keeping them costs {cost_keep:,.0f}, winning as many new ones {cost_replace:,.0f}. "
        "If the {lost:,.0f} who leave are unhappy, they put off <b>{reached:,.0f}</b> people.",
        "多保留 <b>{kept:,.0f}</b> 位客户：节省销售成本 <b>{saved:,.0f}</b>，"
        "保留成本 {cost_keep:,.0f}，而争取同样多的新客户要 {cost_replace:,.0f}；"
        "流失的 {lost:,.0f} 位客户若不满意，会影响 <b>{reached:,.0f}</b> 人。",
    ),
    # chapter 6: customer search
    "w_search_customer": ("customer", "客户"),
    "w_search_hint": ("name or number, e.g. A0001", "名称或编号，例如 A0001"),
    "w_search_prompt": ("Type a customer's name or number.", "输入客户名称或编号。"),
    "w_search_none": ("No customer matches “{query}”.", "没有找到“{query}”。"),
    "w_search_matches": ("{n} matches, showing the first; others: {others}", "{n} 个匹配，显示第一个；其他：{others}"),
    # case studies: comps, bank lobby, rice deliveries
    "w_comp_lift": ("lift per 10%", "保留率提升"),
    "w_comp_verdict": (
        "Comps cost <b>{cost:,.0f}</b>; net value of the retention they buy <b>{net:,.0f}</b>",
        "返还成本 <b>{cost:,.0f}</b>，保留带来的净价值 <b>{net:,.0f}</b>",
    ),
    "w_lobby_man": ("MAN", "MAN法则"),
    "w_lobby_value": ("value", "价值"),
    "w_lobby_potential": ("potential", "潜力"),
    "w_lobby_verdict": ("Serve first: <b>{visitors}</b>", "先服务：<b>{visitors}</b>"),
    "w_delivery_lead": ("lead days", "提前天数"),
    "w_delivery_interval": ("round (days)", "固定周期"),
    "w_delivery_early": ("early after", "过早界限"),
    "w_delivery_verdict": (
        "Predicted deliveries: <b>{on_time:.0%}</b> on time, {late:.0%} late; fixed round: "
        "<b>{fixed_on_time:.0%}</b> on time, {fixed_late:.0%} late. "
        "Days without rice {dry:.2f} vs {fixed_dry:.2f}.",
        "按预测送米：<b>{on_time:.0%}</b> 及时、{late:.0%} 送晚；固定周期：<b>{fixed_on_time:.0%}</b> 及时、"
        "{fixed_late:.0%} 送晚。平均断米天数：按预测 {dry:.2f} 天，固定周期 {fixed_dry:.2f} 天。",
    ),
    # ---- end of widgets
    # ---- crmlib.plots (add keys below this line)
    "plots_pareto_title": (
        "Top {fraction:.0%} of customers hold {share:.1%} of value",
        "前 {fraction:.0%} 的客户贡献了 {share:.1%} 的价值",
    ),
    "plots_rfm_segment_xlabel": ("{customers} (label = share of value)", "{customers}（标注为价值占比）"),
    "plots_man_title": ("{man} — in priority order", "{man}：按优先顺序排列"),
    "plots_ideal_title": ("{ideal} — top {n}", "{ideal} — 前 {n} 名"),
    "plots_whale_title": ("{whale} — peak {peak:.0%} of total profit", "{whale} — 峰值为总利润的 {peak:.0%}"),
    "plots_share_of_accounts": ("share of accounts", "客户占比"),
    "plots_risk_title": ("{big} ≠ ideal customer", "{big} ≠ 理想客户"),
    "plots_small": ("small", "小客户"),
    "plots_yearly_growth": ("yearly sales growth", "年增长率"),
    "plots_rubric_xlabel": ("share of accounts meeting the principle", "符合该原则的客户占比"),
    "plots_channel_xlabel": ("{cpa} (label = return)", "{cpa}（标注为投资回报率）"),
    "plots_funnel_title": ("{aidmas} — label = stage-to-stage conversion", "{aidmas}（标注为相邻阶段的转化率）"),
    "plots_net": ("net", "净效果"),
    "plots_franklin_title": (
        "Franklin balance sheet: {for_buying:.1f} for, {against:.1f} against",
        "富兰克林式表达：支持 {for_buying:.1f}，反对 {against:.1f}",
    ),
    "plots_complaint_steps_title": ("{handling} — median time per step", "{handling} — 各步骤耗时中位数"),
    "plots_sales_cost_saved": ("sales cost saved", "节省的销售成本"),
    "plots_value_kept": ("value kept", "保住的价值"),
    "plots_cost_keep": ("cost to keep them", "保留他们的成本"),
    "plots_cost_replace": ("cost to win as many new", "争取同样多新客户的成本"),
    "plots_retention_title": ("{retention} +{kept:,.0f}", "{retention}：多保留 {kept:,.0f} 位客户"),
    "plots_comp_title": ("{comp}s: what they cost, what they keep", "{comp}：返还成本与保留价值"),
    "plots_assets_yuan": ("assets (yuan)", "资产（元）"),
    "plots_yearly_inflow": ("yearly inflow (potential)", "年流入（潜力）"),
    "plots_lobby_title": ("{lobby} — serving order", "{lobby} — 服务顺序"),
    "plots_timeline_title": (
        "Customer {customer}: purchases, follow-ups and complaints",
        "客户 {customer}：购买、跟进与投诉",
    ),
    # ---- end of plots
    # ---- topic modules: segmentation, qualification, selection, receivables, development,
    #      satisfaction, loyalty (add keys below this line)
    # crmlib release: what a student copy says where its source speaks of the model solutions
    #  (the text between <!-- solution-note --> and <!-- /solution-note --> in a markdown cell)
    "release_no_solutions": (
        "This copy comes without the model solutions: the check cells tell you whether an answer is right.",
        "发给你的这一版不含参考答案：检查单元格会告诉你答得对不对。",
    ),
    # notebooks/00_start_here: the sentences chapter 0's code prints (the error message itself stays English)
    "nb0_param_error": (
        "The parameters were not accepted — CRMDataError: {error}",
        "参数没有通过检查。错误信息（英文）：CRMDataError: {error}",
    ),
    "nb0_cjk_font": ("CJK font for plots: {font}", "图中显示汉字所用的字体：{font}"),
    "nb0_purchases": ("{n:,} purchases by {customers:,} customers", "{customers:,} 位客户，共购买 {n:,} 次"),
    # notebooks/01_identification: the sentences its code prints
    "nb1_data": (
        "{n:,} purchases by {customers:,} customers from {first} to {last}; {prospects:,} prospects",
        "{first} 至 {last}，{customers:,} 位客户共购买 {n:,} 次；准客户名单上另有 {prospects:,} 人",
    ),
    "nb1_cdnow": (
        "CDNOW: {n:,} orders by {customers:,} customers from {first} to {last}",
        "CDNOW：{first} 至 {last}，{customers:,} 位客户共下单 {n:,} 次",
    ),
    "nb1_cdnow_empty": (
        "CDNOW segments without a single customer: {segments}",
        "CDNOW 中一位客户也没有的细分群体：{segments}",
    ),
    "nb1_least_margin": (
        "On gross margin, {n} of {customers:,} customers ({share:.1%}) bring zero or less: {loss:,.0f} "
        "together, against a total margin of {total:,.0f}.",
        "只看边际贡献，{customers:,} 位客户中有 {n} 位（{share:.1%}）带来的利润为零或为负，合计 {loss:,.0f}；"
        "全部客户的边际贡献总额为 {total:,.0f}。",
    ),
    "nb1_top_k": (
        "top {k} of {n} customers: {share:.1%} of revenue",
        "{n} 位客户中的前 {k} 位：贡献收入的 {share:.1%}",
    ),
    "nb1_bottom_half": (
        "the bottom half of the customers hold {share:.1%}; Gini = {gini:.3f}",
        "收入最少的一半客户只占收入的 {share:.1%}；基尼系数 = {gini:.3f}",
    ),
    "nb1_rank_mini": (
        "rank correlation of potential with current value: headroom {headroom:+.2f}, shortcut {shortcut:+.2f}",
        "潜在价值与当前价值的秩相关系数：按钱包空间 {headroom:+.2f}，按简便算法 {shortcut:+.2f}",
    ),
    "nb1_active_sow": (
        "{active:,} of {customers:,} customers bought in the last year; median share of wallet {sow:.0%}",
        "{customers:,} 位客户中有 {active:,} 位在最近一年内买过东西；钱包份额的中位数为 {sow:.0%}",
    ),
    "nb1_rank_full": (
        "rank correlation with current value: wallet headroom {headroom:+.2f}, segment shortcut {shortcut:+.2f}",
        "与当前价值的秩相关系数：钱包空间 {headroom:+.2f}，按细分群体推算的简便算法 {shortcut:+.2f}",
    ),
    # notebooks/01_identification: row names of the concentration table (synthetic shop beside CDNOW)
    "nb1_top_share": ("share of revenue of the top {fraction:.0%}", "前 {fraction:.0%} 客户的收入占比"),
    "nb1_one_time_share": ("share of customers with a single order", "只下过一次订单的客户占比"),
    # notebooks/01_identification, exercise 8: the sentences of the model memo ("nb1_memo" joins them)
    "nb1_memo": ("{target} {why} {visit} {risk}", "{target}{why}{visit}{risk}"),
    "nb1_memo_target_one": (
        "Spend the account managers' time on the relational customers of the develop quadrant who are still "
        "active: {n} customer who bought within {days} days, holding {headroom:,.0f} of wallet headroom.",
        "建议两位客户经理把时间花在“重点发展”象限中仍然活跃的关系型客户身上：这样的客户只有 {n} 位，"
        "最近 {days} 天内买过东西，钱包空间为 {headroom:,.0f}。",
    ),
    "nb1_memo_target_other": (
        "Spend the account managers' time on the relational customers of the develop quadrant who are still "
        "active: {n} customers who bought within {days} days, together holding {headroom:,.0f} of wallet "
        "headroom.",
        "建议两位客户经理把时间花在“重点发展”象限中仍然活跃的关系型客户身上：这样的客户有 {n} 位，"
        "最近 {days} 天内都买过东西，钱包空间合计 {headroom:,.0f}。",
    ),
    "nb1_memo_why": (
        "They spend little with us today but a lot elsewhere, and they buy at full price, so what we win is "
        "margin, not discount sales.",
        "他们目前在我们这里花得不多，在别处却花得不少；而且他们基本按原价购买，争取过来的是实实在在的边际贡献，"
        "而不是靠打折换来的销售额。",
    ),
    "nb1_memo_visit_all": ("Visit all of them.", "这些客户可以全部拜访。"),
    "nb1_memo_visit_top": (
        "Visit the hundred with the largest headroom.",
        "时间有限，先拜访其中钱包空间最大的 100 位。",
    ),
    "nb1_memo_risk": (
        "The risk: the headroom rests on wallet estimates that may be 30 % off for any customer (and here on "
        "synthetic data), so the first visits should check the estimate before a plan is made.",
        "这项建议的风险在于：钱包空间是根据客户钱包的估计值算出来的，具体到某一位客户，估计值可能偏差 30% "
        "左右（何况这里用的是模拟数据），所以头几次拜访应当先核实估计值，再制订开发计划。",
    ),
    # segmentation.value_matrix: the strategy of each quadrant
    "seg_strategy_invest": (
        "Key customers: invest, serve one-to-one and deepen the relationship.",
        "重点保持：投入资源，一对一服务，深化关系。",
    ),
    "seg_strategy_maintain": (
        "Keep today's value at low cost and guard it against competitors.",
        "一般维持：以较低成本维持现有价值，防范竞争者争夺。",
    ),
    "seg_strategy_develop": (
        "Grow share of wallet: cross-sell, up-sell and build the relationship.",
        "重点发展：通过交叉销售和向上销售提高钱包份额，培养关系。",
    ),
    "seg_strategy_minimise": (
        "Serve through low-cost channels; do not over-invest.",
        "降低成本：通过低成本渠道服务，不过度投入。",
    ),
    # qualification.man_strategies: the headings of the table (MAN_COLUMNS)
    "man_h_man_code": ("man_code", "组合"),
    "man_h_money": ("money", "购买能力"),
    "man_h_authority": ("authority", "购买决定权"),
    "man_h_need": ("need", "购买需求"),
    "man_h_priority": ("priority", "优先级"),
    "man_h_strategy": ("strategy", "策略"),
    # qualification (man_classify, man_table, man_strategies): the strategy of each MAN combination
    "man_strategy_M+A+N": (
        "Ideal prospect: can pay, decides and needs it. Sell now — top priority.",
        "合格准客户：买得起、说了算、用得着，是最理想的销售对象，应优先开发。",
    ),
    "man_strategy_M+A+n": (
        "Can pay and decides, but no need yet: keep in touch and be ready to sell the moment a need appears.",
        "有购买能力和购买决定权，但暂时没有需求：保持跟踪，一旦产生需求，立即跟进销售。",
    ),
    "man_strategy_M+a+N": (
        "Can pay and needs it, but this contact does not decide: talk in depth and find the decision maker.",
        "有购买能力和需求，但没有购买决定权：深入沟通，设法找到有购买决定权的人。",
    ),
    "man_strategy_m+A+N": (
        "Decides and needs it, but short of money: talk in depth and offer credit or instalments if their"
        " credit allows.",
        "有购买决定权和需求，但资金不足：深入沟通，视客户的信用状况提供融资或分期付款。",
    ),
    "man_strategy_m+a+N": (
        "Only the need is there: follow up over the long term until money and a decision maker are in place.",
        "只有需求：长期跟踪观察，直至其具备购买条件。",
    ),
    "man_strategy_M+a+n": (
        "Only the money is there: keep tracking, observe and cultivate until the other conditions appear.",
        "只有购买能力：持续跟踪、观察、培养，直至其具备其他条件。",
    ),
    "man_strategy_m+A+n": (
        "Only the authority is there: file the contact, keep a light periodic touch and revisit if money "
        "or need changes.",
        "只有购买决定权：建立档案，偶尔保持联系；资金或需求有了变化，再重新评估。",
    ),
    "man_strategy_m+a+n": (
        "Not a prospect: let go and spend the effort elsewhere.",
        "非客户：可采取放弃策略，把精力投向其他客户。",
    ),
    # loyalty (value_loyalty_matrix, relationship_actions): the action of each relationship
    "loy_action_partner": (
        "Protect the partnership: plan together, share information, give priority service; these "
        "customers are worth years of effort.",
        "全力保持战略伙伴关系：共同规划、共享信息、优先服务，值得长期投入。",
    ),
    "loy_action_retain": (
        "Big buyers who see us as one supplier among many: find out why, raise switching value (service, "
        "terms, contacts at several levels) before they drift to a rival.",
        "采购量大但忠诚度低：找出原因，提升服务，建立多层次的联系，让客户不愿转向竞争对手，防止关系滑向一般的买卖关系。",
    ),
    "loy_action_develop": (
        "Trusting but small: learn their wider needs and offer new products and services to grow their "
        "purchases (customer development).",
        "关系良好但采购量小：深入了解需求，提供新产品和服务，进行客户开发。",
    ),
    "loy_action_build": (
        "Few purchases, little loyalty (often new or neglected customers): build the relationship at low "
        "cost, or let it go if it cannot pay.",
        "交易少、忠诚度低：以低成本建立关系，防止流失；无价值时可放弃。",
    ),
    # development.buying_roles: how to work with each role, and the two cases worth a second look
    "dev_role_advice_initiator": (
        "Find out what triggered the idea; they explain the need.",
        "了解是什么引发了购买的想法：他最清楚需求。",
    ),
    "dev_role_advice_influencer": (
        "Give them facts and proof; they shape the shortlist.",
        "向他提供事实和证据：他会影响备选方案的取舍。",
    ),
    "dev_role_advice_decider": (
        "Make the business case to them; they say yes or no.",
        "向他讲清利益与价值：最后由他拍板。",
    ),
    "dev_role_advice_buyer": ("Agree terms, delivery and payment with them.", "与他商定价格、交货和付款条件。"),
    "dev_role_advice_user": (
        "Show them it is easy and helps daily work; they judge it after the sale.",
        "让他亲身体会产品好用、有用：买后的评价主要来自他。",
    ),
    "dev_check_decider_without_authority": ("decider without authority", "决策者无决定权"),
    "dev_check_authority_outside_decider": ("authority outside decider", "决策者之外有决定权"),
    # development.franklin_balance: the verdict
    "dev_franklin_for": (
        "The case for buying outweighs the objections by {balance:.1f}.",
        "购买的理由比顾虑多 {balance:.1f}。",
    ),
    "dev_franklin_against": (
        "The objections outweigh the case for buying by {balance:.1f}: find benefits that matter more to "
        "this customer.",
        "顾虑比购买的理由多 {balance:.1f}：再找出客户真正在意的好处。",
    ),
    "dev_franklin_level": ("The pans are level: the customer is still undecided.", "两边持平：客户还在犹豫。"),
    "rcv_not_due": ("not yet due", "未到期"),
    "rcv_bucket": ("{lo}–{hi} days", "逾期{lo}–{hi}天"),
    "rcv_bucket_over": ("over {days} days", "逾期{days}天以上"),
    "rcv_action_remind": (
        "Courtesy reminder before the due date; confirm the invoice arrived and is correct.",
        "到期前礼貌提醒：确认对方已收到发票且无误。",
    ),
    "rcv_action_call": (
        "Friendly call or e-mail; resend the invoice and ask when payment will be made.",
        "电话或邮件友好催收：补发发票，询问付款日期。",
    ),
    "rcv_action_visit": (
        "Visit the customer; agree a payment plan in writing; hold new credit sales.",
        "上门拜访：书面约定还款计划，暂停新的赊销。",
    ),
    "rcv_action_stop": (
        "Stop further deliveries on credit; formal demand letter; escalate to the sales manager.",
        "停止赊销发货：发正式催款函，上报销售经理。",
    ),
    "rcv_action_final": (
        "Final written demand; hand over to a collection agency or take legal action; provide for the loss.",
        "最后通牒：委托专业机构催收或诉诸法律，并计提坏账准备。",
    ),
    # reference tables (i18n.reference_table): "<table>_<row>" names a row, "<table>_<row>_<col>" is
    # its cell in a column, "<table>_h_<col>" the heading of a column ("_h_name": of the names)
    # development.prospecting_methods: the methods of the two seed lists (15 and 18 methods)
    "dev_method_h_name": ("method", "方法"),
    "dev_method_h_list_15": ("list_15", "15种方法中的序号"),
    "dev_method_h_list_18": ("list_18", "18种方法中的序号"),
    "dev_method_door_to_door": ("door-to-door visits", "逐户访问法"),
    "dev_method_meetings": ("meetings and events", "会议寻找法"),
    "dev_method_clubs": ("clubs and associations", "俱乐部寻找法"),
    "dev_method_friends": ("friends and relatives", "亲朋好友寻找法"),
    "dev_method_records": ("searching records and directories", "资料查询法"),
    "dev_method_consultancies": ("market consultancies", "咨询寻找法（又称市场咨询）"),
    "dev_method_helpers": ("helpers paid to pass on names", "委托法（又称委托助手）"),
    "dev_method_agents": ("sales agents", "代理寻找"),
    "dev_method_referral_chains": ("referral chains", "链式介绍法（又称连锁介绍）"),
    "dev_method_centres": ("centres of influence", "中心开花法（又称名人介绍）"),
    "dev_method_telephone": ("telephone", "电话寻找法"),
    "dev_method_mail": ("letters and direct mail", "信函寻找法（又称直接邮寄）"),
    "dev_method_text_messages": ("text messages", "短信寻找法"),
    "dev_method_internet": ("the internet and social networks", "网络寻找法"),
    "dev_method_competitors": ("winning competitors' customers", "抢夺法（又称从竞争对手手中抢客户）"),
    "dev_method_observation": ("personal observation", "观察法（又称个人观察）"),
    "dev_method_advertising": ("advertising", "广告搜寻"),
    "dev_method_trade_associations": ("trade-association drives", "行会突击"),
    "dev_method_outlets": ("opening agencies or outlets", "设立代理店"),
    "dev_method_partners": ("partner firms recommending each other", "合作企业互相推荐"),
    "dev_method_relationships": ("the company's own relationships", "企业关系"),
    # development.finding_steps
    "dev_step_h_name": ("step", "步骤"),
    "dev_step_h_means": ("what it means", "怎么做"),
    "dev_step_collect": ("1. collect", "收集信息"),
    "dev_step_collect_means": (
        "Gather facts about the market and possible buyers, by sound methods, accurately and in detail.",
        "用科学的方法收集市场和可能买家的信息，力求准确、详细。",
    ),
    "dev_step_analyse": ("2. analyse", "分析资料"),
    "dev_step_analyse_means": (
        "Study each customer group along the six analyses (motive, choice, timing, place, quantity, roles).",
        "从消费动机、消费选择、消费时机、消费地点、消费数量和内部角色六个方面，逐一分析每一类客户群体。",
    ),
    "dev_step_plan": ("3. plan", "制定方案"),
    "dev_step_plan_means": (
        "Pick the best customer groups and write a plan: offer, message, channel, timing, "
        "and a line for each buying role.",
        "选出最佳客户群体，有的放矢地制定营销方案：卖什么、宣传什么、走哪条渠道、什么时候推出，"
        "并针对每一种购买角色确定说服的办法。",
    ),
    "dev_step_feedback": ("4. feed back", "反馈调整"),
    "dev_step_feedback_means": (
        "Watch the market's response, correct wrong information and adjust the plan; needs keep changing.",
        "跟踪市场的反馈，纠正错误的信息，及时调整方案，因为客户的需求一直在变。",
    ),
    # development.six_analyses
    "dev_analysis_h_name": ("analysis", "分析"),
    "dev_analysis_h_question": ("question", "要回答的问题"),
    "dev_analysis_motive": ("motive", "消费动机分析"),
    "dev_analysis_motive_question": (
        "Why do they buy, and what do they think is good about our offer?",
        "客户为什么买？在他们眼里，我们的产品或服务到底好在哪里？",
    ),
    "dev_analysis_choice": ("choice", "消费选择分析"),
    "dev_analysis_choice_question": (
        "What could they buy instead; who is loyal to us and who is not, and why?",
        "客户还可以买什么来代替我们的产品？哪些客户对我们忠诚，哪些不忠诚，原因是什么？",
    ),
    "dev_analysis_timing": ("timing", "消费时机分析"),
    "dev_analysis_timing_question": ("When, and how often, do they buy?", "客户在什么时候买，多久买一次？"),
    "dev_analysis_place": ("place", "消费地点分析"),
    "dev_analysis_place_question": (
        "Where do they buy and use it — hence which sales channel fits?",
        "客户习惯在哪里购买和使用？据此应选择哪种销售渠道？",
    ),
    "dev_analysis_quantity": ("quantity", "消费数量分析"),
    "dev_analysis_quantity_question": (
        "How much does each group buy — is the group big enough to develop on its own?",
        "每一类客户群体买多少？规模是否大到值得作为一个细分市场单独开发？",
    ),
    "dev_analysis_roles": ("buying roles", "客户内部角色分析"),
    "dev_analysis_roles_question": (
        "Who proposes, influences, decides, pays and uses? (see buying_roles)",
        "谁提议购买，谁施加影响，谁拍板，谁办理购买，谁来使用？",
    ),
    # development.approach_methods
    "dev_approach_h_name": ("method", "方法"),
    "dev_approach_h_how": ("how", "做法"),
    "dev_approach_introduction": ("introduction", "介绍接近法"),
    "dev_approach_introduction_how": (
        "Open with who you are, or with a letter or call from someone the customer trusts.",
        "先介绍自己，或请客户信任的人写信、打电话引荐。",
    ),
    "dev_approach_product": ("product / leverage", "产品接近法（利用法）"),
    "dev_approach_product_how": (
        "Let the product, a sample or a shared acquaintance open the conversation.",
        "借助产品、样品或共同的熟人打开话题。",
    ),
    "dev_approach_survey": ("survey", "调查接近法"),
    "dev_approach_survey_how": (
        "Ask to study the customer's situation first; selling comes after the findings.",
        "先提出为客户做一次调查，了解情况之后再谈销售。",
    ),
    "dev_approach_advice": ("asking for advice", "求教接近法"),
    "dev_approach_advice_how": (
        "Ask the customer's expert opinion; people like to help and to be asked.",
        "向客户请教专业意见：人们乐于助人，也喜欢被人请教。",
    ),
    "dev_approach_service": ("service", "服务接近法"),
    "dev_approach_service_how": (
        "Start by solving a small problem for free (a check-up, a repair, advice).",
        "先免费帮客户解决一个小问题，例如上门检测、维修或出主意。",
    ),
    "dev_approach_social": ("social", "社交接近法"),
    "dev_approach_social_how": (
        "Meet at events, clubs or hobbies and let the business talk follow the relationship.",
        "在活动、俱乐部或共同的爱好中结识客户，先交朋友，再谈生意。",
    ),
    "dev_approach_benefit": ("benefit", "利益接近法"),
    "dev_approach_benefit_how": (
        "Lead with a concrete gain for the customer: money saved, time won, risk removed.",
        "一开口就讲清客户能得到的实际好处：省钱、省时或少担风险。",
    ),
    # development.buying_signals
    "dev_signal_h_name": ("signal", "购买信号"),
    "dev_signal_usage": ("asks how it is used and about after-sales service", "询问使用方法和售后服务"),
    "dev_signal_advert": ("checks that it is the same as the advertised product", "确认与广告上的产品一致"),
    "dev_signal_repeat": ("asks again about points already discussed", "把之前谈过的要点再问一遍"),
    "dev_signal_delivery": ("asks about delivery and pick-up", "询问交货、提货的安排"),
    "dev_signal_payment": ("asks about payment terms", "询问付款条件"),
    "dev_signal_brands": ("compares it with other brands", "把产品与其他品牌比较"),
    "dev_signal_opinions": ("asks what others in the market say about it", "打听市场上对这种产品的评价"),
    # satisfaction.indicators and categories: the survey instrument (8 categories × 5 indicators)
    "sat_ind_h_code": ("indicator", "指标编号"),
    "sat_ind_h_category_name": ("category_中文", "类别"),
    "sat_ind_h_name": ("wording", "指标"),
    "sat_cat_h_name": ("name", "名称"),
    "sat_cat_network": ("network service", "网络服务"),
    "sat_cat_outlets": ("outlets and agents", "营业厅/代办点服务"),
    "sat_cat_hotline": ("phone enquiries and hotline", "电话咨询/服务热线"),
    "sat_cat_complaints": ("complaint handling", "投诉处理"),
    "sat_cat_new_services": ("new (value-added) services", "新服务（增值服务）"),
    "sat_cat_billing": ("billing and payment", "计费/收费/扣费/缴费"),
    "sat_cat_online": ("online service", "网上服务"),
    "sat_cat_image": ("corporate image and promotion", "企业形象/宣传推广"),
    "sat_ind_NW1": ("coverage where I live and work", "覆盖范围"),
    "sat_ind_NW2": ("calls are not dropped", "通话不掉线"),
    "sat_ind_NW3": ("voice quality", "通话质量"),
    "sat_ind_NW4": ("mobile data speed", "上网速度"),
    "sat_ind_NW5": ("signal indoors and underground", "室内信号"),
    "sat_ind_OU1": ("outlets are easy to reach", "网点便利"),
    "sat_ind_OU2": ("opening hours", "营业时间"),
    "sat_ind_OU3": ("staff are polite", "服务态度"),
    "sat_ind_OU4": ("short queues", "排队时间短"),
    "sat_ind_OU5": ("a pleasant place to wait", "营业环境"),
    "sat_ind_HL1": ("the hotline answers at any hour", "热线全天接通"),
    "sat_ind_HL2": ("short waiting time on the hotline", "热线等待时间短"),
    "sat_ind_HL3": ("agents know the answer", "坐席业务熟练"),
    "sat_ind_HL4": ("no transfers between agents", "不需多次转接"),
    "sat_ind_HL5": ("the voice menu is clear", "语音菜单清晰"),
    "sat_ind_CH1": ("a complaint is easy to lodge", "投诉渠道畅通"),
    "sat_ind_CH2": ("complaints are solved quickly", "投诉处理及时"),
    "sat_ind_CH3": ("the solution is fair", "处理结果合理"),
    "sat_ind_CH4": ("someone calls back afterwards", "处理后回访"),
    "sat_ind_CH5": ("the complaint's progress can be followed", "可查询处理进度"),
    "sat_ind_NS1": ("new services are useful", "新业务实用"),
    "sat_ind_NS2": ("new services are easy to order", "新业务易开通"),
    "sat_ind_NS3": ("value-added content is good", "增值内容丰富"),
    "sat_ind_NS4": ("new services are explained clearly", "新业务介绍清楚"),
    "sat_ind_NS5": ("fair prices for add-ons", "增值业务价格合理"),
    "sat_ind_BI1": ("the bill is correct", "计费准确"),
    "sat_ind_BI2": ("many ways to pay", "缴费方式多样"),
    "sat_ind_BI3": ("no unexplained charges", "无不明扣费"),
    "sat_ind_BI4": ("the bill is easy to read", "账单清楚易懂"),
    "sat_ind_BI5": ("balance reminders in time", "余额提醒及时"),
    "sat_ind_ON1": ("the website and app work", "网站与应用好用"),
    "sat_ind_ON2": ("online chat answers fast", "在线客服响应快"),
    "sat_ind_ON3": ("most things can be done online", "业务可网上办理"),
    "sat_ind_ON4": ("the site looks good", "页面美观"),
    "sat_ind_ON5": ("personal data feels safe", "个人信息安全"),
    "sat_ind_IM1": ("a company I can trust", "值得信赖"),
    "sat_ind_IM2": ("advertising I like", "广告宣传"),
    "sat_ind_IM3": ("promises are kept", "言而有信"),
    "sat_ind_IM4": ("sponsors public causes", "热心公益"),
    "sat_ind_IM5": ("a modern, innovative company", "创新形象"),
    # satisfaction.handling_steps: the six steps of handling a complaint (seed 002)
    "sat_step_h_name": ("step", "步骤"),
    "sat_step_h_do": ("what to do", "做法"),
    "sat_step_h_column": ("column", "日志中的列"),
    "sat_step_apologise": ("apologise", "道歉"),
    "sat_step_apologise_do": (
        "Say sorry for the trouble first, whoever is to blame.",
        "不论责任在谁，先为给客户添的麻烦道歉。",
    ),
    "sat_step_restate": ("restate", "复述确认"),
    "sat_step_restate_do": (
        "Repeat the complaint in your own words until the customer agrees you understood it.",
        "用自己的话把客户的抱怨复述一遍，直到客户确认你没有听错。",
    ),
    "sat_step_reassure": ("reassure", "表态与安抚"),
    "sat_step_reassure_do": (
        "Show that the problem now has your attention and ask for the chance to put it right.",
        "让客户感到问题已经引起你的重视，并请客户给你一个改正的机会。",
    ),
    "sat_step_remedy": ("remedy", "补偿解决"),
    "sat_step_remedy_do": (
        "Fix it; when we were at fault, do a little more (a gift, a discount), or escalate at once.",
        "把问题解决好；确实是我们的错，就多做一点补偿（送份礼品、给个折扣），自己解决不了的立即上报。",
    ),
    "sat_step_follow_up": ("follow_up", "一周内回访"),
    "sat_step_follow_up_do": (
        "Within a week of the remedy, call back and ask whether the customer is satisfied.",
        "问题解决后一周内打电话回访，问客户是否满意。",
    ),
    "sat_step_review": ("review", "分析原因与预防"),
    "sat_step_review_do": (
        "At the regular staff meeting, find the cause, prevent a repeat, name who is responsible.",
        "在定期的员工会议上分析原因，制定预防措施，明确责任人。",
    ),
    # satisfaction.complaint_report: the headline figures of ComplaintReport.summary
    "sat_report_complaints": ("complaints", "投诉数"),
    "sat_report_followed_up": ("followed up within {days:g} days", "{days:g} 天内回访的比例"),
    "sat_report_repeat": ("repeat complainers", "重复投诉客户数"),
    "sat_report_by_repeat": ("complaints by repeat complainers", "重复投诉客户的投诉数"),
    "sat_report_remedy_hours": ("median hours to remedy", "从受理到解决的小时数（中位数）"),
    # satisfaction.complaint_iceberg: how each level of the iceberg is counted
    "sat_ice_how_complaints": ("complaints received (the tip of the iceberg)", "收到的投诉（冰山一角）"),
    "sat_ice_how_unhappy": ("complaints ÷ {complain:.0%} who complain", "投诉数 ÷ {complain:.0%}（投诉者的比例）"),
    "sat_ice_how_leave": (
        "unhappy × {leave:.0%} who leave quietly",
        "不满意的客户 × {leave:.0%}（悄悄离开的比例）",
    ),
    "sat_ice_how_lost": (
        "leavers × {never:.0%} who never return",
        "悄悄离开的客户 × {never:.0%}（永不回来的比例）",
    ),
    "sat_ice_how_told": (
        "leavers × ({few_share:.0%} × {few:g} + {many_share:.0%} × {many:g} people)",
        "悄悄离开的客户 × （{few_share:.0%} × {few:g} 人 + {many_share:.0%} × {many:g} 人）",
    ),
    "sat_ice_how_preventable": (
        "lost × {attitude:.0%} lost to poor management or attitude",
        "永不回来的客户 × {attitude:.0%}（因管理不专业或态度恶劣而流失的比例）",
    ),
    # satisfaction.satisfaction_kinds (seed 004)
    "sat_kind_h_name": ("kind", "类别"),
    "sat_kind_h_meaning": ("meaning", "含义"),
    "sat_kind_product": ("product", "产品满意"),
    "sat_kind_product_meaning": (
        "How the product itself pleases: inner quality, price, design, packaging, "
        "delivered on time. Without product quality there is no satisfaction at all.",
        "产品本身带给客户的满足，包括内在质量、价格、设计、包装和交货及时等。"
        "产品质量是客户满意的基础，没有质量就谈不上满意。",
    ),
    "sat_kind_service": ("service", "服务满意"),
    "sat_kind_service_meaning": (
        "How every service step before, during and after the sale, and over the "
        "product's life, is arranged for the customer's benefit and convenience.",
        "售前、售中、售后以及产品整个生命周期中的每一个服务环节，都从客户的利益和方便出发来安排。",
    ),
    "sat_kind_internal": ("internal customer", "内部客户满意"),
    "sat_kind_internal_meaning": (
        "Each process treats the next one as its customer, and each "
        "department the one closer to the customer; satisfied colleagues pass quality down the line.",
        "上一道工序把下一道工序当作自己的客户，职能部门把离客户更近的部门当作自己的客户；"
        "内部环环满意，最终才能让外部客户满意。",
    ),
    # satisfaction.four_steps (seed 004)
    "sat_four_h_name": ("step", "步骤"),
    "sat_four_h_means": ("what it means", "含义"),
    "sat_four_h_measure": ("measure", "衡量指标"),
    "sat_four_quality": ("1. product quality", "发展制成品品质"),
    "sat_four_quality_means": ("Deliver the quality promised and meet the standard.", "产品达到承诺的品质，符合标准。"),
    "sat_four_quality_measure": ("defect / return rate", "次品率、退货率"),
    "sat_four_satisfaction": ("2. customer satisfaction", "发展客户满意度"),
    "sat_four_satisfaction_means": (
        "Give customers what they need and respond to complaints.",
        "满足客户的需求，及时回应客户的抱怨。",
    ),
    "sat_four_satisfaction_measure": ("CSAT, satisfaction index", "客户满意率（CSAT）、客户满意度指数"),
    "sat_four_loyalty": ("3. customer loyalty", "发展客户忠诚度"),
    "sat_four_loyalty_means": ("Keep customers and get them to recommend us.", "留住客户，让客户主动推荐我们。"),
    "sat_four_loyalty_measure": ("repeat purchases, NPS", "重复购买次数、净推荐值（NPS）"),
    "sat_four_value": ("4. customer value", "发展客户价值"),
    "sat_four_value_means": (
        "Meet the target customers' key needs better than rivals and create new, unique benefits.",
        "比竞争对手更好地满足目标客户的关键需求，创造崭新而独特的利益。",
    ),
    "sat_four_value_measure": ("value per customer vs competitors", "客户人均价值（与竞争对手比较）"),
    # satisfaction.service_strategies (seed 004)
    "sat_strategy_h_name": ("strategy", "战略"),
    "sat_strategy_h_means": ("what it means", "含义"),
    "sat_strategy_h_paired": ("paired approach", "对应的竞争策略"),
    "sat_strategy_listen": ("know and listen", "了解并聆听客户"),
    "sat_strategy_listen_means": (
        "Stay in touch, learn customers' expectations and try to exceed them.",
        "经常与客户联系，了解客户的期望和感受，并力求超越这些期望。",
    ),
    "sat_strategy_listen_paired": ("overall cost leadership (整体成本领先)", "整体成本领先"),
    "sat_strategy_organisation": ("customer-first organisation", "建立客户至上的组织"),
    "sat_strategy_organisation_means": (
        "Set clear service goals and service standards.",
        "制定清晰的服务目标和服务标准。",
    ),
    "sat_strategy_organisation_paired": ("differentiation (差异化)", "差异化"),
    "sat_strategy_quality": ("serve with quality", "提供优质服务"),
    "sat_strategy_quality_means": (
        "Train staff and give them the power to solve customers' problems.",
        "培训员工，并授权他们主动处理客户的问题。",
    ),
    "sat_strategy_quality_paired": ("focus (集中化)", "集中化"),
    # satisfaction.service_models (seed 004), with the same restaurant seen through each
    "sat_model_h_name": ("model", "模型"),
    "sat_model_h_elements": ("elements", "构成要素"),
    "sat_model_h_strength": ("strength", "优点"),
    "sat_model_h_example": ("restaurant example", "以餐厅为例"),
    "sat_model_theatre": ("service theatre", "服务剧场模型"),
    "sat_model_theatre_elements": (
        "actors (staff), audience (customers), setting (facilities), front stage and back stage, "
        "the performance (process)",
        "演员（服务员工）、观众（客户）、布景（服务设施）、前台与后台、表演（服务过程）",
    ),
    "sat_model_theatre_strength": (
        "familiar: anyone can picture a play; change one element and the show changes",
        "通俗易懂：谁都能想象一场戏；改变其中任何一个要素，演出的效果就不同",
    ),
    "sat_model_theatre_example": (
        "waiters are actors on the front stage, the kitchen is back stage, the dining room the set, "
        "the meal from greeting to bill the plot",
        "服务员是前台的演员，厨房是后台，餐厅是布景，从迎宾到结账的这顿饭就是剧情",
    ),
    "sat_model_servuction": ("servuction", "服务产出模型"),
    "sat_model_servuction_elements": (
        "invisible organisation and systems + visible elements (setting, staff, other customers) → bundle of benefits",
        "看不见的组织与系统 + 看得见的要素（环境、员工、其他客户）→ 服务利益包",
    ),
    "sat_model_servuction_strength": (
        "practical: ties the experience to designing the service product",
        "可操作性强：把服务体验与服务产品的开发和设计联系起来",
    ),
    "sat_model_servuction_example": (
        "purchasing and kitchen routines (invisible) plus room, staff and other guests (visible) "
        "produce the benefit: a good evening out",
        "采购和后厨的流程（看不见）加上店堂、员工和其他客人（看得见），共同产出服务利益：一个愉快的晚上",
    ),
    "sat_model_delivery": ("service delivery system", "服务提供系统模型"),
    "sat_model_delivery_elements": (
        "interactive part (contact people; physical resources; systems such as ordering and queues) + "
        "support part (technology; management and control; support staff)",
        "互动部分（接触客户的人员；有形资源和设备；点菜、排队等系统与规则）"
        "+ 支持部分（技术；管理与控制；后台支持人员）",
    ),
    "sat_model_delivery_strength": (
        "detailed; includes customers' expectations and management control",
        "细致周全，考虑了客户的期望以及管理与控制",
    ),
    "sat_model_delivery_example": (
        "ordering on a tablet and the queue rules are the interactive system; the booking software, "
        "the shift plan and the cleaners are the support",
        "用平板电脑点菜和排队规则属于互动部分；订座软件、排班表和保洁人员属于支持部分",
    ),
    # satisfaction.six_keys (seed 004), each with a question to audit it
    "sat_key_h_name": ("key", "关键"),
    "sat_key_h_meaning": ("meaning", "含义"),
    "sat_key_h_audit": ("audit question", "自查问题"),
    "sat_key_customer": ("customer first", "客户为先"),
    "sat_key_customer_meaning": (
        "Knowing and satisfying customers is the only way not to be left behind.",
        "了解客户、满足客户，是避免被淘汰的唯一出路。",
    ),
    "sat_key_customer_audit": (
        "Do we know what our top customers expect this year?",
        "我们知道最重要的那些客户今年期望什么吗？",
    ),
    "sat_key_staff": ("staff at the centre", "员工为本"),
    "sat_key_staff_meaning": ("Look after the people who look after the customers.", "照顾好为客户服务的人。"),
    "sat_key_staff_audit": (
        "Do front-line staff have what they need, and do they stay?",
        "一线员工的工作条件都具备吗？他们愿意留下来吗？",
    ),
    "sat_key_leadership": ("leadership", "领导才能"),
    "sat_key_leadership_meaning": (
        "Managing customers; choosing, training and empowering staff; finding and coordinating resources.",
        "管理客户的能力；选才、育才和授权的能力；开发和协调资源的能力。",
    ),
    "sat_key_leadership_audit": (
        "May a clerk fix a problem below a set amount without asking?",
        "金额在一定限度以内的问题，柜台员工能否不经请示就直接解决？",
    ),
    "sat_key_system": ("system support", "系统支援"),
    "sat_key_system_meaning": (
        "Processes, policies, communication, hardware and software pulling together.",
        "流程、政策、沟通、硬件和软件相互配合。",
    ),
    "sat_key_system_audit": (
        "Can the hotline see the customer's last complaint?",
        "接听热线的员工能看到这位客户上一次的投诉吗？",
    ),
    "sat_key_measure": ("measure and review", "考核与评价"),
    "sat_key_measure_meaning": (
        "Set service standards and measure results in numbers.",
        "建立服务标准，用数字考核工作结果。",
    ),
    "sat_key_measure_audit": (
        "Is the follow-up-within-a-week rate on someone's scorecard?",
        "“一周内回访率”有没有列入某个人的考核指标？",
    ),
    "sat_key_improve": ("keep improving", "不断改进"),
    "sat_key_improve_meaning": (
        "A job can be finished; improving it never is.",
        "工作总有完成的一天，改进却永无止境。",
    ),
    "sat_key_improve_audit": ("What did the last staff meeting change?", "上一次员工会议改变了什么？"),
    # loyalty.relationship_actions: the levels of value and loyalty
    "loy_rel_h_name": ("relationship", "关系"),
    "loy_rel_h_value": ("value", "价值"),
    "loy_rel_h_loyalty": ("loyalty", "忠诚度"),
    "loy_rel_h_action": ("action", "对策"),
    "loy_level_high": ("high", "高"),
    "loy_level_low": ("low", "低"),
    # loyalty.churn_causes (seeds 002, 003)
    "loy_cause_h_name": ("cause", "原因"),
    "loy_cause_h_source": ("source", "来源"),
    "loy_cause_h_prevention": ("prevention", "防范措施"),
    "loy_cause_quality": ("product quality poor or uneven", "产品质量低劣或不稳定"),
    "loy_cause_quality_source": ("company", "企业"),
    "loy_cause_quality_prevention": (
        "quality checks, quick replacement, tell the customer what was fixed",
        "加强质量检验，及时更换，并告诉客户改进了什么。",
    ),
    "loy_cause_prices": ("prices creeping up without notice", "产品价格明降暗升"),
    "loy_cause_prices_source": ("company", "企业"),
    "loy_cause_prices_prevention": (
        "transparent prices; explain changes before they happen",
        "价格公开透明，调价之前先向客户说明。",
    ),
    "loy_cause_service": ("slow, complicated or unfriendly service", "服务手续繁琐、效率低下、人员素质差"),
    "loy_cause_service_source": ("company", "企业"),
    "loy_cause_service_prevention": (
        "simplify procedures, train staff, measure service time",
        "简化手续，培训员工，考核服务时间。",
    ),
    "loy_cause_complaints": ("complaints not solved in time", "投诉不能及时解决"),
    "loy_cause_complaints_source": ("company", "企业"),
    "loy_cause_complaints_prevention": (
        "six-step complaint handling and a follow-up call within a week (Chapter 4)",
        "按六个步骤处理投诉，并在一周内回访（见第4章）。",
    ),
    "loy_cause_salesperson": ("the salesperson who owned the customer left", "营销人员变动带走客户"),
    "loy_cause_salesperson_source": ("company", "企业"),
    "loy_cause_salesperson_prevention": (
        "keep customer records in the CRM system, not in one person's notebook",
        "把客户信息录入CRM系统，不要只记在某一个人的本子上。",
    ),
    "loy_cause_neglect": ("old customers taken for granted", "怠慢老客户"),
    "loy_cause_neglect_source": ("company", "企业"),
    "loy_cause_neglect_prevention": (
        "regular contact and the same courtesy as in the first sale",
        "定期联系，始终像第一次成交时那样礼貌周到。",
    ),
    "loy_cause_channels": ("weak channels, promotion or image", "渠道不畅、宣传乏力、形象不佳"),
    "loy_cause_channels_source": ("company", "企业"),
    "loy_cause_channels_prevention": (
        "fix the channel; make claims the product keeps",
        "理顺渠道，宣传要实事求是，不做产品兑现不了的承诺。",
    ),
    "loy_cause_competitor": ("a competitor offers a better deal", "竞争者的争夺"),
    "loy_cause_competitor_source": ("market", "市场"),
    "loy_cause_competitor_prevention": (
        "watch for rivals' offers to old customers and react before the customer leaves",
        "留意竞争对手给老客户开出的条件，在客户离开之前就做出反应。",
    ),
    "loy_cause_needs": ("the customer's needs or situation changed", "客户需求或自身情况变化"),
    "loy_cause_needs_source": ("customer", "客户"),
    "loy_cause_needs_prevention": (
        "ask about plans in every review; adapt the offer",
        "每次回顾时都了解客户的打算，相应调整产品或方案。",
    ),
    # loyalty.winback_steps
    "loy_winback_h_name": ("step", "步骤"),
    "loy_winback_h_do": ("what to do", "做法"),
    "loy_winback_why": ("1. find out why", "调查流失原因"),
    "loy_winback_why_do": (
        "Call or visit the lost customer and ask what went wrong; record the cause.",
        "给流失的客户打电话或登门拜访，问清哪里出了问题，并记下原因。",
    ),
    "loy_winback_owner": ("2. one owner", "谁的客户谁负责"),
    "loy_winback_owner_do": (
        "The person responsible for the customer does the work of winning them back.",
        "由负责这位客户的人去做挽回工作。",
    ),
    "loy_winback_admit": ("3. admit and repair", "坦诚认错并改进"),
    "loy_winback_admit_do": (
        "Admit the failure, acknowledge what the competitor does well, fix the cause.",
        "坦率承认失误，肯定竞争对手的长处，并消除流失的原因。",
    ),
    "loy_winback_small": ("4. ask for a small order", "请求保持少量交易"),
    "loy_winback_small_do": (
        "Ask to keep even a token share of the business, and be patient.",
        "请对方哪怕保留少量象征性的交易，并耐心等待。",
    ),
    "loy_winback_prevent": ("5. prevent the next one", "防止其他客户流失"),
    "loy_winback_prevent_do": (
        "Check which other customers share the cause and act for them first.",
        "查一查还有哪些客户面临同样的原因，先为他们采取措施。",
    ),
    # ---- end of topic modules
    # ---- crmlib.casework, crmlib.records, crmlib.datasets (add keys below this line)
    "rec_card_finances": (
        "debt ratio {debt:.0%}, current ratio {current:.2f}, collateral {collateral:,.0f}",
        "资产负债率 {debt:.0%}，流动比率 {current:.2f}，担保品 {collateral:,.0f}",
    ),
    "rec_card_operations": (
        "{industry}, {size}, {staff} staff, sales growth {growth:+.0%} a year",
        "{industry}，{size}型企业，{staff} 名员工，销售增长 {growth:+.0%}/年",
    ),
    "rec_card_purchasing": (
        "buys {revenue:,.0f} a year at list price, {discount:.0%} discount, pays in {terms:.0f} days",
        "年采购额 {revenue:,.0f}（标价），折扣 {discount:.0%}，账期 {terms:.0f} 天",
    ),
    "rec_card_credit": (
        "{on_time:.0%} of invoices paid on time, {late:.1f} days late on average",
        "按时付款 {on_time:.0%}，平均逾期 {late:.1f} 天",
    ),
    "rec_card_relations": (
        "customer for {years:.0f} year(s), satisfaction {satisfaction:.0f}/5, partnership interest {partnership:.0f}/5",
        "合作 {years:.0f} 年，满意度 {satisfaction:.0f}/5，合作意愿 {partnership:.0f}/5",
    ),
    # records.Archive.schema: the kind of key a column is
    "rec_schema_primary_key": ("primary key", "主键"),
    "rec_schema_required": ("required", "必填"),
    # records.info_groups: the headings of the four groups of customer information
    "rec_groups_h_fields": ("fields", "卡片字段"),
    "rec_groups_h_covers": ("what it covers", "包括哪些内容"),
    # ---- end of casework, records, datasets
    # ---- crmlib.exercises: verdicts, hints, progress, practice (add keys below this line)
    "ex_list_sep": (", ", "、"),
    "ex_stop": (".", "。"),
    "ex_correct": ("✅ {id}: correct.", "✅ {id}：答对了。"),
    "ex_recorded": (
        "📥 {id}: answer recorded for grading. This copy is graded: your instructor scores it, and the "
        "feedback comes with your grade.",
        "📥 {id}：答案已记录，留待评分。这是要评分的作业：由老师评分，对错和反馈随成绩一起告诉你。",
    ),
    "ex_no_answer": (
        "✏️ {id}: no answer yet — replace the placeholder with your answer and run the cell again.",
        "✏️ {id}：还没有作答——请把占位符换成你的答案，再运行一次这个单元格。",
    ),
    "ex_wrong": ("❌ {id}: not yet. Hint: {hint}", "❌ {id}：还不对。提示：{hint}"),
    "ex_wrong_bare": ("❌ {id}: not yet.", "❌ {id}：还不对。"),
    "ex_close": (
        "🟨 {id}: close, not yet right — within the wider margin that earns {share:.0%} of the points. Hint: {hint}",
        "🟨 {id}：很接近，但还不对——落在可得 {share:.0%} 分数的较宽误差范围内。提示：{hint}",
    ),
    "ex_mistake": ("❌ {id}: not yet — {message}", "❌ {id}：还不对——{message}"),
    "ex_hint_line": ("Hint: {hint}", "提示：{hint}"),
    "ex_next_hint": ('Next hint: exercises.hint("{id}").', '下一条提示：exercises.hint("{id}")。'),
    "ex_not_option": (
        "❌ {id}: {answer} is not one of the options ({options}).",
        "❌ {id}：{answer} 不在选项之中（可选：{options}）。",
    ),
    "ex_choice_wrong": ("❌ {id}: not {option} — {why}", "❌ {id}：选 {option} 不对——{why}"),
    "ex_choice_pick": ("   {option}: {why}", "   {option}：{why}"),
    "ex_choice_missing_one": ("   {n} right option is still missing.", "   还漏选了 {n} 个正确选项。"),
    "ex_choice_missing_other": ("   {n} right options are still missing.", "   还漏选了 {n} 个正确选项。"),
    "ex_credit": (" ({credit:.0%} of the points)", "（可得 {credit:.0%} 的分数）"),
    "ex_rank_positions_one": ("position {positions} is out of place", "第 {positions} 位排错了"),
    "ex_rank_positions_other": ("positions {positions} are out of place", "第 {positions} 位排错了"),
    "ex_rank_items": (
        "list each of the {n} items exactly once, in your order (your list has {got})",
        "请把这 {n} 项各列一次，按你认为的顺序排好（你的列表有 {got} 项）",
    ),
    "ex_rank_unknown": ("; not among the items: {items}", "；以下不在待排的项目之中：{items}"),
    "ex_memo_recorded": (
        "✅ {id}: your memo is recorded ({n} words). Your instructor grades it by hand, out of {points:g} "
        "points. Check it against the rubric:",
        "✅ {id}：你的备忘录已记录（{n} 字）。老师会人工评分，满分 {points:g} 分。请对照下面的评分要点自查：",
    ),
    "ex_memo_item": ("   □ {criterion} ({points:g} pt)", "   □ {criterion}（{points:g} 分）"),
    "ex_memo_not_text": (
        '❌ {id}: write your memo as text between quotes, e.g. memo = """…""".',
        '❌ {id}：请把备忘录写成文字，放在引号之间，例如 memo = """……"""。',
    ),
    "ex_hint": ("💡 {id} — hint {level} of {levels}: {hint}", "💡 {id}——第 {level} 条提示（共 {levels} 条）：{hint}"),
    "ex_hint_last": (
        "💡 {id}: no more hints — reread the worked example in the chapter, or ask your instructor.",
        "💡 {id}：提示已经全部给出。请重读本章中的计算示例，或者向老师请教。",
    ),
    "ex_hint_practice": (
        'To practise on fresh data: exercises.practice("{id}").',
        '想换一组新数据练习，请运行 exercises.practice("{id}")。',
    ),
    "ex_progress": (
        "📊 {prefix}: {answered} of {n} answered, {right} right — {points:g} of {total:g} points",
        "📊 {prefix}：共 {n} 题，已答 {answered} 题，答对 {right} 题，得 {points:g} 分（满分 {total:g} 分）",
    ),
    "ex_progress_pending": (
        " (+ up to {points:g} for the memos your instructor grades)",
        "；备忘录另计，最多 {points:g} 分，由老师评阅",
    ),
    "ex_question": ("❓ {id}: {question}", "❓ {id}：{question}"),
    "ex_option": ("   {letter}) {label}", "   {letter}）{label}"),
    "ex_answer_choice": (
        'Answer with the letter of one option, e.g. "{first}".',
        '请用一个选项的字母作答，例如 "{first}"。',
    ),
    "ex_answer_choices": (
        'Answer with a list of the letters of all options that apply, e.g. ["{first}"].',
        '请把所有符合题意的选项字母写成列表作答，例如 ["{first}"]。',
    ),
    "ex_answer_ranking": ("Answer with a list, from first to last.", "请用列表作答，从第一名排到最后一名。"),
    "ex_practice_intro": (
        "🔁 Practice {id}, round {round} (seed {seed}): new data, same question.",
        "🔁 练习 {id}，第 {round} 轮（随机种子 {seed}）：换一组新数据，问题不变。",
    ),
    "ex_practice_data": (
        'The data: {items}. Take them from the practice object, e.g. p["{first}"].',
        '本轮数据：{items}。请从练习对象中取用，例如 p["{first}"]。',
    ),
    "ex_practice_table": ("{name} (a table of {rows:,} rows)", "{name}（{rows:,} 行的表）"),
    "ex_practice_tables": ("{name} (tables {names})", "{name}（包含 {names} 这几张表）"),
    "ex_practice_value": ("{name} = {value}", "{name} = {value}"),
    "ex_practice_how": (
        "Check your answer with exercises.check_practice(p, answer).",
        "算出答案后，用 exercises.check_practice(p, answer) 检查。",
    ),
    "ex_practice_solved_one": (
        '✅ {id}: correct — round {round}, at the first try. Another round: exercises.practice("{id}").',
        '✅ {id}：答对了——第 {round} 轮，一次就对。再来一轮：exercises.practice("{id}")。',
    ),
    "ex_practice_solved_other": (
        '✅ {id}: correct — round {round}, after {n} tries. Another round: exercises.practice("{id}").',
        '✅ {id}：答对了——第 {round} 轮，试了 {n} 次。再来一轮：exercises.practice("{id}")。',
    ),
    "ex_practice_again": (
        'Try again with the same data, or draw new data: exercises.practice("{id}").',
        '可以用同一组数据再试一次，也可以换一组新数据：exercises.practice("{id}")。',
    ),
    # common mistakes with a ready message (ex_mistake_<name>_message): exercises.mistake(name) needs no message=
    "ex_mistake_percent_for_fraction_message": (
        "this looks like a percentage; the question asks for a fraction (write 0.25 for 25%).",
        "这看起来是百分数，题目要求用小数回答（25% 请写成 0.25）。",
    ),
    "ex_mistake_fraction_for_percent_message": (
        "this looks like a fraction; the question asks for percent or points (write 25 for 25%).",
        "这看起来是小数，题目要求用百分数或分值回答（25% 请写成 25）。",
    ),
    "ex_mistake_all_purchases_message": (
        "this counts every purchase; the question asks about repeat purchases (leave out each customer's "
        "first purchase).",
        "这里把所有购买都算进去了，题目问的是重复购买（每位客户的首次购买不算在内）。",
    ),
    "ex_mistake_revenue_for_margin_message": (
        "this is based on revenue; the question asks about margin (revenue minus the variable cost of what was sold).",
        "这是按收入算的，题目问的是边际贡献（收入减去所售商品的变动成本）。",
    ),
    "ex_mistake_off_by_one_message": (
        "one off: check whether the boundary itself counts (“at most” or “fewer than”, from day 0 or day 1).",
        "差了 1：请检查边界本身算不算在内（是“不超过”还是“少于”，是从第 0 天还是从第 1 天算起）。",
    ),
    "ex_mistake_wrong_sign_message": (
        "the size is right but the sign is not: check which amount is subtracted from which.",
        "数值大小对了，正负号却反了：请检查是谁减谁。",
    ),
    "ex_mistake_count_for_share_message": (
        "this is a count; the question asks for a share (divide by the total).",
        "这是一个计数，题目问的是占比（请再除以总数）。",
    ),
    # ---- end of exercises
    # ---- crmlib.lms: the feedback page of a graded notebook (add keys below this line)
    "fb_title": ("Feedback on your notebook", "作业反馈"),
    "fb_student": ("{name} (student id {student_id})", "{name}（学号 {student_id}）"),
    "fb_total": ("{earned} of {points} points", "得分 {earned} 分，满分 {points} 分"),
    "fb_total_pending": (
        "{earned} of {points} points graded so far (your instructor grades the written decisions by hand)",
        "目前已评 {earned} 分，满分 {points} 分（书面决策题由老师另行评分）",
    ),
    "fb_points": ("{earned} of {points} points", "{earned} / {points} 分"),
    "fb_points_by_hand": ("{points} points, graded by hand", "{points} 分，由老师评分"),
    "fb_memo_graded": ("📝 Graded by your instructor.", "📝 老师已经批改。"),
    "fb_your_answer": ("Your answer:", "你的答案："),
    "fb_no_answer": ("(no answer)", "（未作答）"),
    "fb_correct": ("✅ Correct.", "✅ 答对了。"),
    "fb_partly": ("🟨 Partly right: part of the points.", "🟨 部分正确，得到部分分数。"),
    "fb_wrong": ("❌ Not right.", "❌ 答案不对。"),
    "fb_hint": ("Hint: {hint}", "提示：{hint}"),
    "fb_status_by_hand": (
        "📝 Your instructor grades this written decision by hand.",
        "📝 这道书面决策题由老师批改。",
    ),
    "fb_status_no_answer": ("⬜ No answer was given.", "⬜ 这道题没有作答。"),
    "fb_status_execution_error": (
        "⚠️ A cell this question needs stopped with an error, so the answer could not be read.",
        "⚠️ 这道题所需的代码单元运行出错，无法读取答案。",
    ),
    "fb_status_changed_parameters": (
        "⚠️ The data of the notebook were changed in its parameters cell, so it was not graded.",
        "⚠️ 参数单元里的数据设置被改动过，因此没有评分。",
    ),
    "fb_status_unreadable_file": (
        "⚠️ The uploaded file is not a complete notebook: please upload it again.",
        "⚠️ 上传的文件不是完整的笔记本，请重新上传。",
    ),
    "fb_status_missing": ("⬜ No notebook was handed in.", "⬜ 没有收到你提交的笔记本。"),
    "fb_status_duplicate": (
        "⚠️ Two or more files were handed in for you; your instructor decides which one counts.",
        "⚠️ 你提交了两份或更多文件，由老师决定以哪一份为准。",
    ),
    "fb_status_unknown_student": ("⚠️ This notebook names no student of the class.", "⚠️ 这份笔记本对应不到班上的学生。"),
    # ---- end of lms
    # ---- crmlib.book: the HTML book (add keys below this line; no braces but the fields')
    "book_title": ("The CRM workbook (客户关系管理 教学工作簿)", "客户关系管理教学工作簿"),
    "book_author": ("the CRM workbook's contributors", "客户关系管理教学工作簿的作者们"),
    "book_intro": (
        "Every chapter and case of the workbook, run once and shown as a page: the text, the tables, "
        "the figures and the exercises, with each model solution folded away under its exercise. "
        "Widgets appear as snapshots of their state at the end of the run; to move their controls and "
        "answer the exercises yourself, open the notebooks in JupyterLab (`make lab`). Key terms link "
        "to the glossary, and the search box finds English and Chinese words alike.",
        "这里收录了工作簿的每一章和每个案例，都已完整运行一遍，整理成网页：正文、表格、图形和练习都在，"
        "每道练习的参考答案折叠在题目下方。交互控件显示的是运行结束时的状态快照；如果想自己拖动控件、"
        "动手做练习，请在 JupyterLab 中打开笔记本（`make lab`）。关键术语都链接到术语表，"
        "搜索框既能查中文词，也能查英文词。",
    ),
    "book_chapters": ("Chapters (章节)", "章节"),
    "book_cases": ("Cases (案例)", "案例"),
    "book_reference": ("Reference (参考)", "参考资料"),
    "book_no_pages": ("No chapter has been written for this edition yet.", "这一版还没有任何章节。"),
    "book_english_only": (
        "These chapters have no edition in this language yet; their English pages:",
        "下面这些章节还没有中文版，可以先读英文版：",
    ),
    "book_glossary_title": ("Glossary (术语表)", "术语表"),
    "book_glossary_intro": (
        "The {n} terms of the workbook, each with its Chinese name and a one-line definition. The list "
        "is `crmlib.i18n.GLOSSARY`, the same that `crmlib.i18n.glossary()` shows in a notebook; the "
        "chapters link their key terms here.",
        "工作簿用到的 {n} 个术语，每个都附有英文名称和一句话的解释。这份列表就是 `crmlib.i18n.GLOSSARY`，"
        "在笔记本里用 `crmlib.i18n.glossary()` 看到的也是它；各章的关键术语都链接到这里。"
        "术语按章节顺序排列。",
    ),
    "book_switch": ("中文版 (Chinese edition)", "English edition（英文版）"),
    "book_edition": ("English edition: {n} chapters and cases", "中文版：{n} 个章节和案例"),
    "book_show_solution": ("Show the model solution", "显示参考答案"),
    "book_hide_solution": ("Hide the model solution", "收起参考答案"),
    "book_snapshot_note": (
        "A snapshot of the widget at the end of the run: open the notebook in JupyterLab to use it.",
        "这是控件在运行结束时的快照：在 JupyterLab 中打开笔记本，就能动手操作。",
    ),
    "book_footer": (
        "Built with Sphinx and MyST-NB from the executed notebooks (make book).",
        "本书由运行后的笔记本经 Sphinx 和 MyST-NB 生成（make book）。",
    ),
    # ---- end of book
}


def _template(key: Any, values: dict, func: str) -> tuple[str, str]:
    if not isinstance(key, str):
        raise CRMDataError(func, "key", f"must be the name of a text template, got {key!r}")
    if key in TEXTS:
        return TEXTS[key]
    if f"{key}_one" in TEXTS and f"{key}_other" in TEXTS:
        n = values.get("n")
        if n is None:
            raise CRMDataError(func, "n", f"text {key!r} depends on a count: give n=")
        return TEXTS[f"{key}_one" if n == 1 else f"{key}_other"]
    close = difflib.get_close_matches(key, list(TEXTS), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise CRMDataError(func, "key", f"unknown text template {key!r}{hint}")


def template_fields(template: str) -> set[str]:
    """The names of the fields a template fills.

    >>> sorted(template_fields("{n:,} customers, {share:.0%} of revenue"))
    ['n', 'share']
    """
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}


def text(key: str, lang: str | None = None, **values: Any) -> str:
    """The sentence ``key`` in ``lang`` (default: the current language), its fields filled in.

    >>> TEXTS["_example"] = ("{n:,} customers hold {share:.0%}", "{n:,} 位客户贡献了 {share:.0%}")
    >>> text("_example", "en", n=1200, share=0.8), text("_example", "zh", n=1200, share=0.8)
    ('1,200 customers hold 80%', '1,200 位客户贡献了 80%')
    >>> TEXTS["_ex_one"], TEXTS["_ex_other"] = ("{n} term", "{n} 个术语"), ("{n} terms", "{n} 个术语")
    >>> text("_ex", "en", n=1), text("_ex", "en", n=3)
    ('1 term', '3 terms')
    >>> for k in ("_example", "_ex_one", "_ex_other"): del TEXTS[k]
    >>> text("_example")
    Traceback (most recent call last):
    ...
    crmlib._errors.CRMDataError: text: field 'key' unknown text template '_example'
    """
    lang = resolve(lang, "text")
    en, zh = _template(key, values, "text")
    template = zh if lang == "zh" else en
    missing = template_fields(template) - set(values)
    if missing:
        raise CRMDataError("text", "values", f"text {key!r} needs {sorted(missing)}, got {sorted(values)}")
    try:
        return template.format(**values)
    except (ValueError, TypeError) as e:
        raise CRMDataError("text", "values", f"cannot fill text {key!r} with {values!r}: {e}") from None


def set_language(lang: str) -> str:
    """Set the default language of labels (``"en"`` or ``"zh"``); returns it.

    >>> set_language("zh"), label("champions"), set_language("en"), label("champions")
    ('zh', '最有价值客户', 'en', 'Champions')
    >>> set_language("fr")
    Traceback (most recent call last):
    ...
    crmlib._errors.CRMDataError: set_language: field 'lang' must be one of ['en', 'zh'], got 'fr'
    """
    if lang not in LANGUAGES:
        raise CRMDataError("set_language", "lang", f"must be one of {list(LANGUAGES)}, got {lang!r}")
    _state["lang"] = lang
    if lang == "zh":  # now, before a notebook makes its figures: ticks made earlier keep their font
        use_fonts(lang)
    return lang


def get_language() -> str:
    """The current default language.

    >>> get_language()
    'en'
    """
    return _state["lang"]


def resolve(lang: str | None, func: str = "label") -> str:
    """``lang`` if given (checked), else the current default.

    >>> resolve(None), resolve("zh")
    ('en', 'zh')
    """
    if lang is None:
        return _state["lang"]
    if lang not in LANGUAGES:
        raise CRMDataError(func, "lang", f"must be one of {list(LANGUAGES)}, got {lang!r}")
    return lang


#: where an entry of GLOSSARY keeps the label and the definition of each language
_LABEL_AT = {"en": 0, "zh": 1}
_DEFINITION_AT = {"en": 2, "zh": 3}


def _entry(key: Any, func: str) -> tuple[str, ...]:
    if not isinstance(key, str) or key not in GLOSSARY:
        close = difflib.get_close_matches(str(key), list(GLOSSARY), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise CRMDataError(func, "key", f"unknown glossary key {key!r}{hint}")
    return GLOSSARY[key]


def label(key: str, lang: str | None = None) -> str:
    """The label of a glossary key in ``lang`` (default: the current language).

    >>> label("lost", "zh"), label("lost", "en")
    ('流失客户', 'lost customer')
    """
    lang = resolve(lang)
    return _entry(key, "label")[_LABEL_AT[lang]]


def term(key: str) -> str:
    """English term with the Chinese one beside it, for first use in text.

    >>> term("man")
    'MAN rule (MAN法则)'
    """
    entry = _entry(key, "term")
    return f"{entry[0]} ({entry[1]})"


def definition(key: str, lang: str | None = None) -> str:
    """The one-line definition of a glossary term in ``lang`` (default: the current language);
    ``""`` for a plain label, which has none.

    >>> definition("pareto", "en")
    'A rule of thumb: about 80% of revenue or profit comes from about 20% of customers.'
    >>> definition("pareto", "zh")
    '一条经验法则：大约80%的收入或利润来自大约20%的客户。'
    """
    lang = resolve(lang, "definition")
    entry = _entry(key, "definition")
    at = _DEFINITION_AT[lang]
    return entry[at] if at < len(entry) else ""


def categories(keys: Iterable[str], lang: str | None = None) -> list[str]:
    """Labels of several keys, in order (the categories of an ordered Categorical).

    >>> categories(["A", "B", "C"], "zh")
    ['A 关键客户', 'B 主要客户', 'C 普通客户']
    """
    if isinstance(keys, str) or not isinstance(keys, Iterable):
        raise CRMDataError("categories", "keys", f"must be a list of glossary keys, got {keys!r}")
    with V.caller("categories"):
        return [label(k, lang) for k in keys]


def categorical(codes: pd.Series, keys: list[str], lang: str | None = None, name: str | None = None) -> pd.Series:
    """Ordered Categorical from integer codes 0..len(keys)-1, labelled in ``lang``.

    >>> categorical(pd.Series([1, 0]), ["relational", "transactional"], "en").tolist()
    ['transactional', 'relational']
    """
    with V.caller("categorical"):
        cats = categories(keys, lang)
    num = V.numeric(codes, "categorical", "codes").to_numpy()
    bad = (num != num.round()) | (num < 0) | (num >= len(cats))
    if bad.any():
        V._fail(
            "categorical",
            "codes",
            f"must be whole numbers from 0 to {len(cats) - 1}",
            bad,
            codes.index if isinstance(codes, pd.Series) else None,
        )
    codes = (
        num.astype("int64") if not isinstance(codes, pd.Series) else pd.Series(num.astype("int64"), index=codes.index)
    )
    out = pd.Series(
        pd.Categorical.from_codes(codes, categories=cats, ordered=True),
        index=codes.index if isinstance(codes, pd.Series) else None,
        name=name,
    )
    return out


def glossary(search: str | None = None, lang: str | None = None) -> pd.DataFrame:
    """The glossary as a table: each defined term in English and Chinese with its definition in
    ``lang`` (default: the current language), optionally only the terms matching a search word.

    The search looks at both terms and at both definitions, so a word finds the same terms in
    either language. The headings follow ``lang`` (``English, 中文, definition`` or
    ``英文, 中文, 释义``); the index is the glossary key.

    >>> glossary("MAN").loc["man", "中文"]
    'MAN法则'
    >>> glossary("MAN", lang="zh").loc["man", "释义"][:12]
    '判断准客户是否值得跟进的'
    >>> glossary("二八", "en").index.tolist(), glossary("二八", "zh").index.tolist()
    (['pareto'], ['pareto'])
    """
    lang = resolve(lang, "glossary")
    if search is not None and not isinstance(search, str):
        raise CRMDataError("glossary", "search", f"must be a word to look for, got {search!r}")
    rows = {k: [*e, "", ""][:4] for k, e in GLOSSARY.items() if e[2]}
    df = pd.DataFrame.from_dict(rows, orient="index", columns=["en", "zh", "def_en", "def_zh"])
    if search:
        s = search.lower()
        hit = (
            df["en"].str.lower().str.contains(s, regex=False)
            | df["zh"].str.lower().str.contains(s, regex=False)
            | df["def_en"].str.lower().str.contains(s, regex=False)
            | df["def_zh"].str.lower().str.contains(s, regex=False)
        )
        df = df[hit]
    out = pd.DataFrame(
        {
            text("glossary_h_english", lang): df["en"],
            text("glossary_h_chinese", lang): df["zh"],
            text("glossary_h_definition", lang): df[f"def_{lang}"],
        },
        index=pd.Index(df.index, name="key"),
    )
    return out


def reference_table(
    prefix: str,
    rows: Sequence[str],
    columns: Sequence[str] = (),
    lang: str | None = None,
    names_as_index: bool = True,
    func: str = "reference_table",
) -> pd.DataFrame:
    """A descriptive table (说明表) whose every cell is a text template, in ``lang``.

    Row ``r`` is named by ``TEXTS[f"{prefix}_{r}"]`` and its cell in column ``c`` is
    ``TEXTS[f"{prefix}_{r}_{c}"]``; the heading of column ``c`` is ``TEXTS[f"{prefix}_h_{c}"]``
    and that of the names ``TEXTS[f"{prefix}_h_name"]``. The names are the index, or with
    ``names_as_index=False`` the first column. An English table glosses the names with the
    Chinese ones in a column ``中文`` beside them, as the notebooks write each term; a Chinese table
    is Chinese only, headings included. Columns that hold data rather than text (a channel of the
    leads, a column of the complaints log) are added by the caller and keep their names.

    >>> TEXTS.update({"_t_h_name": ("step", "步骤"), "_t_h_do": ("what to do", "做法"),
    ...               "_t_a": ("apologise", "道歉"), "_t_a_do": ("Say sorry.", "先道歉。")})
    >>> reference_table("_t", ["a"], ["do"], "en")
               中文  what to do
    step
    apologise  道歉  Say sorry.
    >>> reference_table("_t", ["a"], ["do"], "zh")
          做法
    步骤
    道歉  先道歉。
    >>> for k in ("_t_h_name", "_t_h_do", "_t_a", "_t_a_do"):
    ...     del TEXTS[k]
    """
    lang = resolve(lang, func)
    if not isinstance(prefix, str) or not prefix:
        raise CRMDataError(func, "prefix", f"must be the start of the table's text keys, got {prefix!r}")
    for field, names in (("rows", rows), ("columns", columns)):
        if isinstance(names, str) or not isinstance(names, Iterable) or not all(isinstance(n, str) for n in names):
            raise CRMDataError(func, field, f"must be a list of names, got {names!r}")
    with V.caller(func):
        names = [text(f"{prefix}_{r}", lang) for r in rows]
        data: dict[str, list[str]] = {}
        if not names_as_index:
            data[text(f"{prefix}_h_name", lang)] = names
        for other in GLOSSES.get(lang, ()):
            data[LANGUAGE_NAMES[other]] = [text(f"{prefix}_{r}", other) for r in rows]
        for c in columns:
            data[text(f"{prefix}_h_{c}", lang)] = [text(f"{prefix}_{r}_{c}", lang) for r in rows]
        heading = text(f"{prefix}_h_name", lang)
    if names_as_index:
        return pd.DataFrame(data, index=pd.Index(names, name=heading))
    return pd.DataFrame(data)


#: the languages whose names a table in a language shows beside its own: English tables gloss each
#: name in Chinese (the workbook teaches the Chinese terms); Chinese tables need no gloss
GLOSSES: dict[str, tuple[str, ...]] = {"en": ("zh",)}
#: a language's name in itself, the heading of a gloss column
LANGUAGE_NAMES = {"zh": "中文", "en": "English"}


CJK_FONTS = [
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "PingFang SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "SimHei",
]
#: the system fonts preferred to the packaged one (the same design, hinted for the screen)
_SYSTEM_FIRST = 3
#: the PyPI package (a dependency of crmlib) that ships Noto Sans CJK (SIL OFL 1.1) and its file
FONT_PACKAGE, FONT_FILE = "noto_cjk_sans_otc", "NotoSansCJK-Regular.ttc"
_font_state: dict = {"registered": None, "warned": False}


def packaged_cjk_font():
    """Path of the Noto Sans CJK collection shipped by the ``noto-cjk-sans-otc`` package, or None.

    The package is one of crmlib's dependencies, so every install has it; the path is found
    through ``importlib.resources`` (no hard-coded site-packages location).

    >>> p = packaged_cjk_font()
    >>> p is None or p.name == "NotoSansCJK-Regular.ttc"
    True
    """
    from importlib import resources
    from pathlib import Path

    try:
        res = resources.files(FONT_PACKAGE).joinpath(FONT_FILE)
    except (ModuleNotFoundError, TypeError):
        return None
    path = Path(str(res))
    return path if path.is_file() else None


def _register_packaged() -> str | None:
    """Add the packaged font to matplotlib's font manager (once per process); its family name."""
    if _font_state["registered"] is not None:
        return _font_state["registered"] or None
    from matplotlib import font_manager

    path = packaged_cjk_font()
    name = ""
    if path is not None:
        try:
            font_manager.fontManager.addfont(str(path))
        except (OSError, RuntimeError, ValueError):  # unreadable file: behave as if absent
            path = None
    if path is not None:
        # matplotlib >= 3.10 registers every face of the collection; older ones only the first (JP)
        names = [f.name for f in font_manager.fontManager.ttflist if f.fname == str(path)]
        name = "Noto Sans CJK SC" if "Noto Sans CJK SC" in names else (names[0] if names else "")
    _font_state["registered"] = name
    return name or None


def cjk_font() -> str | None:
    """Name of a font with Chinese glyphs for plots, or None when there is none.

    A system Noto Sans CJK / Source Han Sans comes first; else the Noto Sans CJK shipped by the
    ``noto-cjk-sans-otc`` dependency, registered with matplotlib on first use; else another
    system CJK font (Microsoft YaHei, PingFang, WenQuanYi, …).

    >>> cjk_font() is None or cjk_font() in CJK_FONTS + ["Noto Sans CJK JP"]
    True
    """
    from matplotlib import font_manager

    have = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONTS[:_SYSTEM_FIRST]:
        if name in have:
            return name
    packaged = _register_packaged()
    if packaged:
        return packaged
    for name in CJK_FONTS[_SYSTEM_FIRST:]:
        if name in have:
            return name
    return None


def font_rc(lang: str | None = None, func: str = "font_rc") -> dict:
    """The matplotlib settings that let a figure draw the labels of ``lang``, for
    ``matplotlib.rc_context(font_rc(lang))`` (what every crmlib plot does) or for good through
    :func:`use_fonts`. Computing them changes no setting.

    The font of :func:`cjk_font` is appended to the current ``font.family`` as the fallback for
    characters the usual font lacks — for English too, since English labels often carry the Chinese
    term beside them. For Chinese without any CJK font: no settings, and a single warning (once per
    session) says how to get one — labels would otherwise show as boxes.

    >>> rc = font_rc("zh")
    >>> rc == {} or (rc["font.family"][-1] == cjk_font() and rc["axes.unicode_minus"] is False)
    True
    """
    import matplotlib as mpl

    lang = resolve(lang, func)
    font = cjk_font()
    if font is None:
        if lang == "zh" and not _font_state["warned"]:
            _font_state["warned"] = True
            warnings.warn(
                "No Chinese font found: reinstall crmlib (its dependency noto-cjk-sans-otc ships "
                "one), install one (Debian: apt-get install fonts-noto-cjk) or use lang='en'; "
                "Chinese labels will show as boxes.",
                stacklevel=3,
            )
        return {}
    # matplotlib falls back glyph by glyph along font.family (not along font.sans-serif):
    # Latin letters and digits from the usual sans-serif, Chinese characters from the CJK font
    fams = [f for f in mpl.rcParams["font.family"] if f != font]
    rc: dict = {"font.family": (fams or ["sans-serif"]) + [font]}
    if lang == "zh":
        rc["axes.unicode_minus"] = False
    return rc


def use_fonts(lang: str | None = None) -> None:
    """Point matplotlib at a font that can draw the labels of ``lang``, for the rest of the session
    (the settings of ``font_rc``, written into ``matplotlib.rcParams``).

    An explicit call, for figures a notebook draws itself: crmlib's plots apply the same settings
    inside each plot and never need it, and importing crmlib changes no matplotlib setting.
    :func:`crmlib.set_language` calls it for ``"zh"``.

    >>> import matplotlib
    >>> with matplotlib.rc_context():
    ...     use_fonts("en")
    ...     cjk_font() is None or matplotlib.rcParams["font.family"][-1] == cjk_font()
    True
    """
    import matplotlib as mpl

    mpl.rcParams.update(font_rc(lang, "use_fonts"))
