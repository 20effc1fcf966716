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
import warnings
from collections.abc import Iterable
from typing import Any

import pandas as pd

from crmlib import _validate as V
from crmlib._errors import CRMDataError

LANGUAGES = ("en", "zh")
_state = {"lang": "en"}

# key: (English, 中文, one-line definition in English)
GLOSSARY: dict[str, tuple[str, str, str]] = {
    # chapter 1 — ideas
    "crm": (
        "customer relationship management",
        "客户关系管理",
        "Managing every contact with customers so that the valuable ones stay and grow.",
    ),
    "customer_analysis": (
        "customer analysis",
        "客户分析",
        "Studying customers' behaviour, characteristics, loyalty and value from their data.",
    ),
    "segmentation": (
        "customer segmentation",
        "客户细分",
        "Dividing customers into groups by value, needs or preferences to serve each group differently.",
    ),
    "identification": (
        "customer identification",
        "客户识别",
        "Finding out who the customers are, what they need and how much they are worth.",
    ),
    "pareto": (
        "80/20 rule",
        "二八法则",
        "A rule of thumb: about 80% of revenue or profit comes from about 20% of customers.",
    ),
    "lorenz": (
        "Lorenz curve",
        "洛伦兹曲线",
        "Cumulative share of value against cumulative share of customers, smallest first.",
    ),
    "gini": (
        "Gini index",
        "基尼系数",
        "Concentration of value among customers: 0 = all equal, near 1 = one customer holds all.",
    ),
    "value_matrix": (
        "customer value matrix",
        "客户价值矩阵",
        "Customers placed by current value and potential value into four quadrants.",
    ),
    "current_value": ("current value", "当前价值", "What a customer is worth to us now (e.g. yearly margin)."),
    "potential_value": (
        "potential value",
        "潜在价值",
        "What a customer could be worth if we won more of their business.",
    ),
    "rfm": (
        "RFM analysis",
        "RFM分析",
        "Scoring customers by Recency, Frequency and Monetary value of their purchases.",
    ),
    "recency": ("recency", "最近一次消费", "Days since the customer's last purchase."),
    "frequency": ("frequency", "消费频率", "Number of purchases in the period."),
    "monetary": ("monetary value", "消费金额", "Total amount the customer spent in the period."),
    "profitability": ("customer profitability", "客户赢利能力", "Profit a customer brings after all costs."),
    "needs": (
        "customer needs identification",
        "客户需求识别",
        "Working out the category, purpose, essence, level and attributes of what a customer needs.",
    ),
    "customer_state": ("customer state", "客户状态", "Whether someone is an actual, potential, lost or non-customer."),
    "man": (
        "MAN rule",
        "MAN法则",
        "A prospect qualifies on Money (购买能力), Authority (购买决定权) and Need (购买需求).",
    ),
    "money": ("money (ability to buy)", "购买能力", "Can the prospect afford to buy?"),
    "authority": ("authority (decision power)", "购买决定权", "Does this person decide the purchase?"),
    "need": ("need", "购买需求", "Does the prospect need what we sell?"),
    "prospect": ("prospect", "潜在客户", "Someone who may become a customer."),
    "value_customer": ("value customer", "价值客户", "A customer whose relationship is worth investing in."),
    "transactional": ("transactional", "交易型客户", "Buys on price and discounts, little margin, no loyalty."),
    "relational": ("relational", "关系型客户", "Buys for the relationship: steady margin, few discounts."),
    "margin": ("margin contribution", "边际贡献", "Revenue minus the variable cost of what was sold."),
    "discount_pct": ("discount percentage", "折扣百分比", "Share of list price given away as discount."),
    "deal_stage": ("deal-time class", "成交时间分类", "How soon a prospect is expected to buy."),
    "abc": ("ABC classification", "ABC分类", "Key, major and ordinary customers by cumulative value."),
    "key_account": ("key account", "大客户", "A customer of outstanding value, managed one to one."),
    "churn": ("customer churn", "客户流失", "Customers who stop buying."),
    "retention": ("customer retention", "客户保持", "Keeping customers buying."),
    "loyalty": ("customer loyalty", "客户忠诚", "Repeat buying out of preference, not habit or lock-in."),
    "satisfaction": ("customer satisfaction", "客户满意", "How far experience meets expectations."),
    "clv": ("customer lifetime value", "客户终身价值", "Present value of the future profit of a customer."),
    "selection": ("customer selection", "客户选择", "Choosing which customers to serve."),
    "development": ("customer development", "客户开发", "Turning potential customers into real ones."),
    "self_check": ("self-check", "自我检查", "A cell that tells you whether your answer is right."),
    # customer states
    "actual": ("actual customer", "现实客户", "Bought recently and is still buying."),
    "potential": ("potential customer", "潜在客户", "Has not bought yet but shows interest or need."),
    "lost": ("lost customer", "流失客户", "Bought before but has stopped."),
    "non_customer": ("non-customer", "非客户", "Neither buys nor shows a need for what we sell."),
    # deal-time classes (seed 003)
    "mature": (
        "mature (closes within 1 month)",
        "成熟客户",
        "Satisfied after contact; expected to buy within a month.",
    ),
    "hopeful": (
        "hopeful (closes within 2 months)",
        "有望客户",
        "Broadly satisfied; expected to buy within two months.",
    ),
    "potential_deal": ("potential (over 2 months)", "潜在客户", "Interested, but a deal is more than two months away."),
    # ABC classes (seed 003: key / major / ordinary)
    "A": ("A key", "A 关键客户", "The few customers who bring the first ~80% of value."),
    "B": ("B major", "B 主要客户", "The next ~15% of value."),
    "C": ("C ordinary", "C 普通客户", "The many customers who bring the last ~5% of value."),
    # profitability tiers (seed 000)
    "most_profitable": ("most profitable", "最具获利客户", "The top profit earners."),
    "profitable": ("profitable", "具获利客户", "Customers who earn a positive profit."),
    "least_profitable": ("least profitable", "最不具获利客户", "Customers who earn little or lose money."),
    # value matrix quadrants
    "invest": ("invest and retain", "重点保持", "High current and high potential value."),
    "maintain": ("maintain", "一般维持", "High current value, little room to grow."),
    "develop": ("develop", "重点发展", "Low current value but high potential."),
    "minimise": ("minimise cost", "降低成本", "Low current and low potential value."),
    # RFM segments
    "champions": ("Champions", "最有价值客户", "Bought recently, often and for much."),
    "loyal": ("Loyal", "忠诚客户", "Buy often and for much, though not in the last few weeks."),
    "potential_loyalist": ("Potential loyalists", "潜力客户", "Recent buyers with middling frequency and spend."),
    "new_customers": ("New / growing", "新客户(成长客户)", "Bought recently but rarely so far."),
    "need_attention": ("Need attention", "需要关注", "Middling on all three scores."),
    "about_to_sleep": ("About to sleep", "即将沉睡", "Middling recency, low frequency and spend."),
    "at_risk": ("At risk", "高价值流失风险", "Used to buy often and for much, but not lately."),
    "hibernating": ("Hibernating", "沉睡客户", "Long since the last purchase, middling history."),
    "lost_segment": ("Lost", "流失客户", "Long gone, and little history."),
    # labels used by plots and tables
    "customers": ("customers", "客户", ""),
    "customer_share": ("share of customers", "客户占比", ""),
    "value_share": ("share of value", "价值占比", ""),
    "revenue": ("revenue", "收入", ""),
    "profit": ("profit", "利润", ""),
    "count": ("count", "数量", ""),
    "equality": ("perfect equality", "完全平等线", ""),
    "cumulative_share": ("cumulative share", "累计占比", ""),
    "segment": ("segment", "细分群体", ""),
    "strategy": ("strategy", "对策", ""),
    # ---- chapter 2: customer selection, credit, receivables (add keys below this line)
    "selection_need": (
        "why select customers",
        "客户选择的必要性",
        "Not every buyer is a valid customer and not every customer brings profit, so choose.",
    ),
    "ideal_customer": (
        "ideal customer",
        "理想客户",
        "A customer that buys much, pays on time, costs little to serve, is low-risk and wants to stay.",
    ),
    "ideal_score": (
        "ideal-customer score",
        "理想客户评分",
        "Weighted 0–100 score of an account on the five ideal-customer criteria.",
    ),
    "crit_demand": ("strong demand and volume", "购买欲望强烈、购买量大", "How much the account buys."),
    "crit_payment": (
        "price-insensitive, pays on time",
        "价格敏感度低、付款及时、信誉好",
        "Little haggling, prompt payment, good credit.",
    ),
    "crit_service_cost": ("low cost to serve", "服务成本低", "Asks for little service relative to what it buys."),
    "crit_risk": (
        "low risk, good prospects",
        "经营风险小、发展前景好",
        "Sound finances, growing sales, a healthy industry.",
    ),
    "crit_partnership": (
        "wants a long-term partnership",
        "愿意建立长期伙伴关系",
        "Interested in working together for years.",
    ),
    "cost_to_serve": ("cost to serve", "服务成本", "What serving an account costs: visits, support, delivery, admin."),
    "delay_cost": ("payment-delay cost", "延期付款成本", "Interest lost while a customer pays late."),
    "whale_curve": (
        "whale curve",
        "鲸鱼曲线",
        "Cumulative profit with customers sorted from most to least profitable; its hump shows the losses.",
    ),
    "big_customer": ("big customer", "大客户", "An account that buys a lot; not necessarily an ideal one."),
    "big_accounts": ("big accounts", "大客户", ""),
    "other_accounts": ("other accounts", "其他客户", ""),
    "financial_risk": (
        "financial risk",
        "财务风险",
        "A big customer that pays late or is deep in debt can hurt our cash.",
    ),
    "profit_risk": (
        "profit risk",
        "利润风险",
        "A big customer that squeezes prices and discounts leaves little profit.",
    ),
    "management_risk": (
        "management risk",
        "管理风险",
        "A big customer that demands special treatment ties up our people.",
    ),
    "churn_risk": ("churn risk", "流失风险", "A big customer courted by competitors may leave."),
    "growth_potential": ("growth potential", "成长潜力", "A small customer growing fast may become an ideal one."),
    "selection_principles": (
        "selection principles",
        "客户选择的原则",
        "Fit our positioning, be ideal, have potential, match our strength, be satisfied.",
    ),
    "principle_positioning": ("fits our positioning", "与企业定位一致", "In a market we target."),
    "principle_ideal": ("ideal customer", "理想客户", "Scores well on the ideal-customer criteria."),
    "principle_potential": ("has potential", "有潜力", "Its purchases are growing."),
    "principle_strength": ("matches our strength", "与自己实力接近", "Neither far bigger nor far smaller than us."),
    "principle_satisfied": ("satisfied with us", "对产品或服务满意", "Rates our products and service well."),
    "verdict_select": ("select", "优先选择", "Meets four or five principles."),
    "verdict_consider": ("consider", "可以考虑", "Meets three principles."),
    "verdict_avoid": ("avoid for now", "暂不选择", "Meets two principles or fewer."),
    "customer_information": (
        "customer information",
        "客户信息",
        "Basic data, characteristics, business situation and transaction status of a customer.",
    ),
    "credit_management": (
        "credit management",
        "客户信用管理",
        "Investigating customers' credit, setting limits and terms, and collecting what they owe.",
    ),
    "five_c": ("5C credit model", "5C信用评估", "Character, capacity, capital, collateral and conditions."),
    "credit_character": ("character", "品德", "Willingness to pay: the payment record."),
    "credit_capacity": ("capacity", "能力", "Ability to pay from the business: liquidity."),
    "credit_capital": ("capital", "资本", "Financial strength: equity against debt."),
    "credit_collateral": ("collateral", "担保品", "Assets pledged or guarantees given."),
    "credit_conditions": ("conditions", "环境条件", "The economic outlook of the customer's industry."),
    "credit_score": ("credit score", "信用评分", "Weighted 0–100 score of the five Cs."),
    "credit_limit": ("credit limit", "信用额度", "The most a customer may owe us at any time."),
    "credit_A": ("A", "A 信用优良", "Score 75 or more: two months of purchases on credit, 60-day terms."),
    "credit_B": ("B", "B 信用良好", "Score 60–75: one month on credit, 45-day terms."),
    "credit_C": ("C", "C 信用一般", "Score 45–60: half a month on credit, 30-day terms."),
    "credit_D": ("D", "D 信用较差", "Score below 45: no credit, cash in advance."),
    "receivables": ("accounts receivable", "应收账款", "Money customers owe for goods already delivered."),
    "aging": ("aging of receivables", "应收账款账龄分析", "Open invoices grouped by how long they are overdue."),
    "dso": ("days sales outstanding (DSO)", "应收账款周转天数", "Open receivables expressed in days of sales."),
    "bad_debt": ("bad-debt provision", "坏账准备", "Expected loss on receivables, set aside by aging bucket."),
    "collection": ("collection", "催收", "The steps taken to get overdue invoices paid."),
    "days_past_due": ("days past due", "逾期天数", ""),
    "open_amount": ("amount", "金额", ""),
    "score_0_100": ("score", "得分", ""),
    # ---- chapter 3: customer development (add keys below this line)
    "lead": ("lead", "销售线索", "A name that might become a prospect; it has not been qualified yet (线索, 引子)."),
    "lead_channel": (
        "lead channel (prospecting method)",
        "寻找客户的方法",
        "Where a lead came from: referral, phone, trade fair, …",
    ),
    "marketing_oriented": (
        "marketing-oriented development",
        "营销导向的客户开发",
        "Drawing customers in with the right product, price, channel and promotion.",
    ),
    "sales_oriented": (
        "sales-oriented development",
        "推销导向的客户开发",
        "Salespeople find, approach and persuade customers one by one.",
    ),
    "qualified": ("qualified lead (M+A+N)", "合格潜在客户", "A lead with money, authority and need."),
    "win_rate": ("conversion rate", "转化率", "Share of leads that became customers."),
    "cost_per_lead": ("cost per lead", "单条线索成本", "Money spent on a channel divided by its leads."),
    "cost_per_acquisition": (
        "cost per acquisition",
        "获客成本",
        "Money spent on a channel divided by the customers it won.",
    ),
    "return_on_cost": ("return", "投资回报率", "(Value won − cost) / cost."),
    "aidmas": (
        "AIDMAS funnel",
        "AIDMAS法则",
        "Attention, interest, desire, memory, action, satisfaction: the steps from first contact to a happy buyer.",
    ),
    "aidmas_attention": ("attention", "引起注意", "The customer notices us."),
    "aidmas_interest": ("interest", "激发兴趣", "The customer wants to know more."),
    "aidmas_desire": ("desire", "唤起欲望", "The customer wants the product."),
    "aidmas_memory": ("memory", "留下记忆", "The customer remembers us when ready to buy."),
    "aidmas_action": ("action", "购买行动", "The customer buys."),
    "aidmas_satisfaction": ("satisfaction", "购后满意", "The customer is pleased after buying."),
    "buying_role": ("buying role", "客户内部角色", "The part a person plays in a purchase decision."),
    "role_initiator": ("initiator", "发起者", "First proposes buying."),
    "role_influencer": ("influencer", "影响者", "Shapes the decision without making it."),
    "role_decider": ("decider", "决策者", "Has the final say."),
    "role_buyer": ("buyer", "购买者", "Carries out the purchase."),
    "role_user": ("user", "使用者", "Uses the product or service."),
    "approach": ("approaching a customer", "接近客户", "Preparing for and opening the first real conversation."),
    "pain_point": ("pain point", "客户痛点", "The problem that hurts the customer most and that we can remove."),
    "persuasion": ("persuading a customer", "说服客户", "Helping the customer weigh the offer and decide."),
    "franklin": (
        "Franklin balance sheet",
        "富兰克林式表达",
        "Benefits of buying and losses of not buying, weighed against the customer's objections.",
    ),
    "franklin_benefit": ("benefit of buying", "购买的好处", ""),
    "franklin_loss": ("loss of not buying", "不买的损失", ""),
    "franklin_objection": ("objection", "客户顾虑", ""),
    "contact_rule": ("12-contact rule", "12次沟通", "Pause a prospect after about twelve contacts without a deal."),
    "action_continue": ("keep contacting", "继续跟进", ""),
    "action_pause": ("pause", "暂时放弃", ""),
    "action_won": ("won", "已成交", ""),
    "action_lost": ("lost", "已失败", ""),
    "buying_signal": ("buying signal", "购买信号", "A hint that the prospect is ready to decide."),
    "acquisition_cost": (
        "cost of winning a customer",
        "争取新客户的成本",
        "Rule of thumb: winning a new customer costs 5–6× keeping an existing one.",
    ),
    "acq_acquire": ("win new customers", "争取新客户", ""),
    "acq_retain": ("keep existing ones", "保持老客户", ""),
    "contact_limit": ("contact limit", "沟通次数上限", ""),
    "saved_cost": ("cost saved", "节省的成本", ""),
    "lost_margin": ("margin of deals lost", "损失的利润", ""),
    "stage": ("stage", "阶段", ""),
    "weight": ("weight", "权重", ""),
    # ---- chapter 4: satisfaction and complaints (add keys below this line)
    "complaint": (
        "complaint",
        "用户投诉",
        "An action a customer takes because a product or service did not satisfy them.",
    ),
    "complaint_iceberg": (
        "complaint iceberg",
        "投诉冰山",
        "The few complaints we receive stand for many unhappy customers who leave without a word.",
    ),
    "complaint_handling": ("complaint handling", "处理投诉", "The six steps from apology to reviewing the cause."),
    "follow_up": ("follow-up call", "回访", "Calling the customer back after the remedy to ask whether all is well."),
    "repeat_complainer": ("repeat complainer", "重复投诉客户", "A customer who complained at least twice."),
    "cause": ("cause", "投诉原因", ""),
    "hours": ("hours", "小时", ""),
    "step_apologise": ("1 apologise", "1 道歉", ""),
    "step_restate": ("2 restate", "2 复述确认", ""),
    "step_reassure": ("3 reassure", "3 表态安抚", ""),
    "step_remedy": ("4 remedy", "4 补偿解决", ""),
    "step_follow_up": ("5 follow up", "5 回访", ""),
    "step_review": ("6 review cause", "6 分析原因", ""),
    "ice_complaints": ("complaints received", "收到的投诉", ""),
    "ice_unhappy": ("unhappy customers", "不满意的客户", ""),
    "ice_leave": ("leave quietly", "悄悄离开", ""),
    "ice_lost": ("never come back", "永不回来", ""),
    "ice_told": ("people told", "听到抱怨的人", ""),
    "ice_preventable": ("lost to poor service", "因服务不佳而流失", ""),
    "service_model": ("service model", "服务模型", "A way of picturing the parts of a service experience."),
    "excellent_service": (
        "six keys to excellent service",
        "卓越服务的六个关键",
        "Customer first, staff at the centre, leadership, system support, measurement, improvement.",
    ),
    "satisfaction_kinds": (
        "kinds of satisfaction",
        "顾客满意的分类",
        "Product, service and internal-customer satisfaction.",
    ),
    "satisfaction_index": (
        "satisfaction index",
        "顾客满意度指数",
        "Mean performance ratings rescaled to 0–100, weighted across categories.",
    ),
    "survey_indicator": (
        "satisfaction indicator",
        "满意测评指标",
        "One question of the survey instrument (8 categories, 40 indicators).",
    ),
    "importance": ("importance", "重要性", "How much an indicator matters to the customer (1–5)."),
    "performance": ("performance", "表现", "How well we do on an indicator in the customer's eyes (1–5)."),
    "ipa": (
        "importance–performance analysis",
        "重要性—绩效分析",
        "Indicators placed by mean importance and performance into four quadrants.",
    ),
    "ipa_concentrate": ("concentrate here", "重点改进区", ""),
    "ipa_keep_up": ("keep up the good work", "继续保持区", ""),
    "ipa_low_priority": ("low priority", "次要改进区", ""),
    "ipa_overkill": ("possible overkill", "过度投入区", ""),
    "csat": (
        "customer satisfaction score (CSAT)",
        "顾客满意率",
        "Percentage of answers in the top boxes of the satisfaction scale.",
    ),
    "nps": (
        "Net Promoter Score (NPS)",
        "净推荐值",
        "% promoters (9–10) − % detractors (0–6) on 'would you recommend us?'.",
    ),
    "nps_detractor": ("detractor", "贬损者", ""),
    "nps_passive": ("passive", "被动者", ""),
    "nps_promoter": ("promoter", "推荐者", ""),
    # ---- chapter 5: loyalty, retention, CLV (add keys below this line)
    "loy_loyal": ("loyal", "忠诚客户", "At least three repeat purchases: buys again out of trust, not chance."),
    "loy_repeat": ("repeat buyer", "重复购买客户", "Bought again, but fewer times than loyalty needs."),
    "loy_one_time": ("one-time buyer", "一次性客户", "Bought once and not again (yet)."),
    "loy_partner": ("strategic partner", "战略伙伴", "High value and high loyalty: the ideal, trusted relationship."),
    "loy_retain": (
        "retain (vendor relationship)",
        "客户保留(卖主关系)",
        "High value, low loyalty: big buyers who see us as one supplier among many.",
    ),
    "loy_develop": ("develop", "客户开发", "Low value, high loyalty: trusting customers who buy little."),
    "loy_build": ("build relationship", "建立关系(认知关系)", "Low value, low loyalty: a fragile acquaintance."),
    "loy_active": ("active", "活跃", ""),
    "loy_at_risk": ("at risk", "有流失风险", ""),
    "loy_lapsed": ("lapsed (win back)", "已流失(需挽回)", ""),
    "loy_cohort": ("cohort", "同期客户群", "Customers whose first purchase fell in the same period."),
    "loy_cohort_retention": (
        "cohort retention",
        "同期群保持率",
        "Share of a cohort that buys again a given number of periods after its first purchase.",
    ),
    "loy_periods_since": ("periods since first purchase", "首次购买后的期数", ""),
    "loy_repeat_purchases": ("repeat purchases", "重复购买次数", ""),
    "loy_value_loyalty": (
        "value × loyalty matrix",
        "客户价值—忠诚度矩阵",
        "Customers placed by value and loyalty into four kinds of relationship.",
    ),
    "loy_win_back": ("win-back", "挽回流失客户", "Winning a lost customer back after finding why they left."),
    "loy_franchise": (
        "economic franchise",
        "经济特许权",
        "A product customers want, see no close substitute for and whose price is free: the power to price.",
    ),
    "loy_key_priority": ("key-account priority", "大客户优先排序", "Ranking key accounts by value and potential."),
    "loy_budget": ("service budget", "服务资源", ""),
    # ---- casework 1-3 (add keys below this line)
    "cw_tier_silver": ("silver", "银卡客户", "Harrah's lowest card tier in this case: most players, small play."),
    "cw_tier_gold": ("gold", "金卡客户", "Second card tier: regular players with moderate play."),
    "cw_tier_platinum": ("platinum", "白金卡客户", "Third card tier: frequent, high-value players."),
    "cw_tier_diamond": ("diamond", "钻石客户", "The top card tier: the few most valuable players."),
    "cw_comp": ("comp", "免费赠送(返还)", "A free gift (room, meal, flight) returning part of what a player lost."),
    "cw_comp_cost": ("comp cost", "返还成本", ""),
    "cw_value_kept": ("value kept by retention", "保持带来的价值", ""),
    "cw_tier": ("card tier", "会员等级", "A level of a loyalty card programme, set by the customer's value."),
    "cw_desk_vip": ("VIP room", "贵宾室", "Where the lobby manager takes the most valuable visitors with a need."),
    "cw_desk_advisor": ("wealth/loan advisor", "理财/贷款顾问", "A qualified prospect: money, authority and need."),
    "cw_desk_counter": ("counter/self-service", "柜台/自助设备", "Routine business, served quickly without selling."),
    "cw_lobby_manager": ("lobby manager", "大堂经理", "The bank employee who greets, identifies and directs visitors."),
    "cw_serve_order": ("serving order", "服务顺序", ""),
    "cw_no_complaint": ("no complaint", "无投诉", ""),
    "cw_followed_in_time": ("followed up in time", "按时回访", ""),
    "cw_followed_late": ("followed up late/never", "回访过迟或未回访", ""),
    "cw_customer_file": (
        "customer file",
        "客户档案",
        "The record of one customer: contact, preferences, volume, credit.",
    ),
    "cw_new_files": ("new customer files", "新建客户档案", ""),
    "cw_target": ("target", "目标", ""),
    "cw_month": ("month", "月份", ""),
    # ---- casework 4-6 (add keys below this line)
    "cw4_late": ("late (ran out first)", "送晚了(已断米)", "The household ran out of rice before the delivery came."),
    "cw4_on_time": ("on time", "及时送到", "The rice came shortly before the household ran out."),
    "cw4_early": ("early", "送早了", "The rice came while the household still had plenty left."),
    "cw4_predictive": (
        "predicted run-out",
        "按预测送米",
        "Deliver a little before each household's forecast run-out date.",
    ),
    "cw4_fixed": (
        "fixed schedule",
        "固定周期送米",
        "Visit every household once per fixed interval, whatever its need.",
    ),
    "cw4_days_without": ("days without rice", "断米天数", ""),
    "cw4_deliveries": ("deliveries", "送米户数", ""),
    "cw4_delivery_date": ("delivery date", "送米日期", ""),
    "cw5_monthly": ("monthly", "每月检视", "Review the client's assets every month."),
    "cw5_quarterly": ("quarterly", "每季检视", "Review the client's assets every quarter."),
    "cw5_half_yearly": ("half-yearly", "每半年检视", "Review the client's assets twice a year."),
    "cw5_deposits": ("deposits", "存款", ""),
    "cw5_bonds": ("bonds", "债券", ""),
    "cw5_funds": ("funds", "基金", ""),
    "cw5_stocks": ("stocks", "股票", ""),
    "cw5_insurance": ("insurance (cash value)", "保险(现金价值)", ""),
    "cw5_asset_mix": ("asset mix", "资产配置", "Each asset class's share of a client's assets."),
    "cw5_asset_trend": ("asset trend", "资产变化趋势", "A client's assets quarter by quarter."),
    "cw5_quarter": ("quarter", "季度", ""),
    "cw5_aum": ("assets (NT$)", "资产(新台币)", ""),
    "cw6_service": ("service recovery", "服务补救", "An unhappy key account: fix the service first."),
    "cw6_price": ("better price terms", "价格优惠", "A price-sensitive key account: work on terms and total cost."),
    "cw6_partnership": ("joint solutions", "合作方案", "A key account keen on partnership: co-develop solutions."),
    "cw6_supply": ("reliable supply", "稳定供货", "A key account that wants dependable supply and service."),
    "cw6_value": ("value (revenue)", "客户价值(销售额)", ""),
    "cw6_potential": ("potential (extra revenue)", "客户潜力(新增销售额)", ""),
    "cw6_key": ("key account", "大客户", ""),
    "cw6_other": ("other account", "其他客户", ""),
    # ---- chapter 6: customer records (crmlib.records; add keys below this line)
    "rec_archive": (
        "customer archive",
        "客户档案",
        "All the records a company keeps about its customers, kept complete and current.",
    ),
    "rec_card": (
        "customer card",
        "客户卡",
        "One customer's record on a single card: who they are, who decides, grade, needs, finances, credit, contacts.",
    ),
    "rec_separation": (
        "separation and integration of tables",
        "信息的分离与整合",
        "Basic data, follow-ups and purchases in separate tables, joined again through the customer number.",
    ),
    "rec_foreign_key": (
        "foreign key",
        "外键",
        "A column that must name a row of another table, e.g. a purchase's customer number.",
    ),
    "rec_transaction": (
        "transaction (all or nothing)",
        "事务(全部成功或全部撤销)",
        "A group of changes saved together or not at all.",
    ),
    "rec_dynamic": ("dynamic management", "动态管理", "Keeping customer files up to date and recording every change."),
    "rec_focus": (
        "focus on key customers",
        "突出重点",
        "Contacting each grade of customer as often as its value deserves.",
    ),
    "rec_flexible": (
        "flexible use",
        "灵活运用",
        "Putting the files in the hands of those who serve the customer, when they need them.",
    ),
    "rec_responsible": (
        "one person responsible",
        "专人负责",
        "Each customer file has one owner who keeps it and answers for it.",
    ),
    "rec_purchase_cycle": ("purchase cycle", "购买周期", "The usual time between a customer's purchases."),
    "rec_proactive": ("proactive contact", "主动联系", "Getting in touch before the customer needs to come to us."),
    "rec_birthday_file": ("birthday file", "生日档案", "Contacts' birthdays kept so that greetings go out on time."),
    "rec_basic": ("basic data", "基本资料", "Name, address, phone, owners and managers, and the people we deal with."),
    "rec_traits": ("customer characteristics", "客户特征", "Line of business, size, market, needs and potential."),
    "rec_business": ("business status", "业务状况", "The relationship with us: history, attitude, who looks after it."),
    "rec_transactions": ("transaction status", "交易现状", "What and how it buys, its finances, terms and credit."),
    "rec_customer_id": ("customer number (card no.)", "客户编号(卡号)", ""),
    "rec_name": ("name", "客户名称", ""),
    "rec_decision_maker": ("decision maker", "购买决策人", ""),
    "rec_grade": ("grade", "客户等级", ""),
    "rec_address": ("address", "地址", ""),
    "rec_phone": ("phone", "电话", ""),
    "rec_needs": ("needs", "需求状况", ""),
    "rec_finances": ("finances", "财务状况", ""),
    "rec_operations": ("operations", "经营状况", ""),
    "rec_purchasing": ("purchasing", "采购状况", ""),
    "rec_credit": ("credit", "信用状况", ""),
    "rec_relations": ("relations", "对外关系状况", ""),
    "rec_contact_person": ("contact person", "业务联系人", ""),
    "rec_created_by": ("card created by", "建卡人", ""),
    "rec_created_on": ("card created on", "建卡日期", ""),
    "rec_notes": ("notes", "备注", ""),
    "rec_owner": ("owner (person responsible)", "负责人", ""),
    "rec_birthday": ("contact's birthday", "联系人生日", ""),
    "rec_summary": ("summary", "概况", ""),
    "rec_n_purchases": ("purchases", "购买次数", ""),
    "rec_revenue": ("revenue", "购买金额", ""),
    "rec_last_purchase": ("last purchase", "最近购买", ""),
    "rec_mean_gap_days": ("days between purchases", "平均购买间隔(天)", ""),
    "rec_last_follow_up": ("last follow-up", "最近跟进", ""),
    "rec_n_complaints": ("complaints", "投诉次数", ""),
    "rec_latest_follow_ups": ("latest follow-ups", "最近跟进记录", ""),
    "rec_latest_purchases": ("latest purchases", "最近购买记录", ""),
    "rec_follow_ups": ("follow-ups", "跟进记录", ""),
    "rec_purchases": ("purchases", "购买记录", ""),
    "rec_complaints": ("complaints", "投诉记录", ""),
    "rec_date": ("date", "日期", ""),
    "rec_amount": ("amount", "金额", ""),
    "rec_channel": ("channel", "方式", ""),
    "rec_by": ("by", "跟进人", ""),
    "rec_next_step": ("next step", "下一步", ""),
    "rec_ref": ("reference no.", "单据号", ""),
    "rec_product": ("product", "产品", ""),
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
    # ---- end of shared
    # ---- crmlib.widgets (add keys below this line)
    # shared by the explorers
    "w_list_sep": (" · ", " · "),
    "w_all": ("(all)", "(全部)"),
    # start: glossary search
    "w_glossary_search": ("search", "搜索"),
    "w_glossary_hint": ("e.g. loyal or 忠诚", "例如 忠诚 或 loyal"),
    "w_glossary_terms_one": ("{n} term", "{n} 个术语"),
    "w_glossary_terms_other": ("{n} terms", "{n} 个术语"),
    "w_glossary_first": (", showing the first {rows}", "，显示前 {rows} 个"),
    # chapter 1: MAN, 80/20, RFM, value matrix
    "w_man_money": ("Money (can pay)", "购买能力 Money"),
    "w_man_authority": ("Authority (decides)", "购买决定权 Authority"),
    "w_man_need": ("Need", "购买需求 Need"),
    "w_man_verdict": (
        "<b>{code}</b> — priority {priority} of 8<br>{strategy}",
        "<b>{code}</b> — 优先级 {priority}（共 8 级）<br>{strategy}",
    ),
    "w_pareto_fraction": ("top share", "前多少客户"),
    "w_pareto_verdict": (
        "The top <b>{fraction:.0%}</b> of customers hold <b>{share:.1%}</b> of the value.",
        "前 <b>{fraction:.0%}</b> 的客户贡献了 <b>{share:.1%}</b> 的价值。",
    ),
    "w_rfm_bins": ("bins", "分档数"),
    "w_rfm_segment_one": (
        "<b>{segment}</b>: {n} customer, {share:.1%} of value, mean recency {recency:.0f} days, "
        "mean frequency {frequency:.1f}",
        "<b>{segment}</b>：{n} 位客户，占价值 {share:.1%}，平均最近一次消费 {recency:.0f} 天前，"
        "平均消费频率 {frequency:.1f}",
    ),
    "w_rfm_segment_other": (
        "<b>{segment}</b>: {n} customers, {share:.1%} of value, mean recency {recency:.0f} days, "
        "mean frequency {frequency:.1f}",
        "<b>{segment}</b>：{n} 位客户，占价值 {share:.1%}，平均最近一次消费 {recency:.0f} 天前，"
        "平均消费频率 {frequency:.1f}",
    ),
    "w_rfm_overview_one": (
        "{n} customer in {segments} segment; largest: <b>{largest}</b>",
        "{n} 位客户，分布在 {segments} 个细分群体；最大的是 <b>{largest}</b>",
    ),
    "w_rfm_overview_other": (
        "{n} customers in {segments} segments; largest: <b>{largest}</b>",
        "{n} 位客户，分布在 {segments} 个细分群体；最大的是 <b>{largest}</b>",
    ),
    "w_vm_current_q": ("current cut q", "当前价值分位"),
    "w_vm_potential_q": ("potential cut q", "潜在价值分位"),
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
        "<b>{group}</b>：{n} 条线索 → {bought:.1%} 购买；最弱的一步：<b>{step}</b>（{conversion:.0%}）",
    ),
    "w_funnel_line_other": (
        "<b>{group}</b>: {n} leads → {bought:.1%} buy; weakest step: <b>{step}</b> ({conversion:.0%})",
        "<b>{group}</b>：{n} 条线索 → {bought:.1%} 购买；最弱的一步：<b>{step}</b>（{conversion:.0%}）",
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
    "w_ipa_segment": ("segment", "客户群"),
    "w_ipa_cut": ("cut at", "分界线"),
    "w_ipa_verdict": (
        "<b>{quadrant}</b>: {n} of {total} — {items}{more}",
        "<b>{quadrant}</b>：{total} 项中有 {n} 项 — {items}{more}",
    ),
    "w_iceberg_complaints": ("complaints", "投诉数"),
    "w_iceberg_complain_share": ("who complain", "投诉比例"),
    "w_iceberg_leave_share": ("leave quietly", "离开比例"),
    "w_iceberg_never_return": ("never return", "不再回来"),
    "w_iceberg_tell_few": ("most tell", "告诉几人(80%)"),
    "w_iceberg_tell_many": ("some tell", "告诉几人(20%)"),
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
    "w_clv_horizon": ("horizon (months)", "期限(月)"),
    "w_clv_discount": ("discount / year", "年折现率"),
    "w_clv_verdict": (
        "<b>{customer}</b>: {frequency} repeat purchases, last in week {recency:.0f} of {T:.0f} → "
        "P(alive) <b>{prob_alive:.0%}</b>, expected purchases in {months} months "
        "<b>{expected:.2f}</b> at about {spend:,.0f} each → CLV <b>{clv:,.0f}</b>",
        "<b>{customer}</b>：重复购买 {frequency} 次，最近一次在第 {recency:.0f} 周（共 {T:.0f} 周）→ "
        "仍活跃概率 <b>{prob_alive:.0%}</b>，未来 {months} 个月预计购买 "
        "<b>{expected:.2f}</b> 次，每次约 {spend:,.0f} → CLV <b>{clv:,.0f}</b>",
    ),
    "w_retention_gain": ("extra kept", "多保持"),
    "w_retention_multiple": ("acq. multiple", "获客倍数"),
    "w_retention_reach": ("reach", "影响人数"),
    "w_retention_verdict": (
        "Keeping <b>{kept:,.0f}</b> more customers saves <b>{saved:,.0f}</b> of sales cost; "
        "keeping them costs {cost_keep:,.0f}, winning as many new ones {cost_replace:,.0f}. "
        "If the {lost:,.0f} who leave are unhappy, they put off <b>{reached:,.0f}</b> people.",
        "多保持 <b>{kept:,.0f}</b> 位客户：节省销售成本 <b>{saved:,.0f}</b>，"
        "保持成本 {cost_keep:,.0f}，而争取同样多的新客户要 {cost_replace:,.0f}；"
        "流失的 {lost:,.0f} 位客户若不满意，会影响 <b>{reached:,.0f}</b> 人。",
    ),
    # chapter 6: customer search
    "w_search_customer": ("customer", "客户"),
    "w_search_hint": ("name or number, e.g. A0001", "名称或编号，例如 A0001"),
    "w_search_prompt": ("Type a customer's name or number.", "输入客户名称或编号。"),
    "w_search_none": ("No customer matches “{query}”.", "没有找到 “{query}”。"),
    "w_search_matches": ("{n} matches, showing the first; others: {others}", "{n} 个匹配，显示第一个；其他：{others}"),
    # case studies: comps, bank lobby, rice deliveries
    "w_comp_lift": ("lift per 10%", "保持提升"),
    "w_comp_verdict": (
        "Comps cost <b>{cost:,.0f}</b>; net value of the retention they buy <b>{net:,.0f}</b>",
        "返还成本 <b>{cost:,.0f}</b>，保持带来的净价值 <b>{net:,.0f}</b>",
    ),
    "w_lobby_man": ("MAN", "MAN法则"),
    "w_lobby_value": ("value", "价值"),
    "w_lobby_potential": ("potential", "潜力"),
    "w_lobby_verdict": ("Serve first: <b>{visitors}</b>", "先服务: <b>{visitors}</b>"),
    "w_delivery_lead": ("lead days", "提前天数"),
    "w_delivery_interval": ("round (days)", "固定周期"),
    "w_delivery_early": ("early after", "过早界限"),
    "w_delivery_verdict": (
        "Predicted deliveries: <b>{on_time:.0%}</b> on time, {late:.0%} late; fixed round: "
        "<b>{fixed_on_time:.0%}</b> on time, {fixed_late:.0%} late. "
        "Days without rice {dry:.2f} vs {fixed_dry:.2f}.",
        "按预测送米：<b>{on_time:.0%}</b> 及时、{late:.0%} 送晚；固定周期：<b>{fixed_on_time:.0%}</b> 及时、"
        "{fixed_late:.0%} 送晚。平均断米天数 {dry:.2f} 对 {fixed_dry:.2f}。",
    ),
    # ---- end of widgets
    # ---- crmlib.plots (add keys below this line)
    "plots_pareto_title": (
        "Top {fraction:.0%} of customers hold {share:.1%} of value",
        "前 {fraction:.0%} 的客户贡献了 {share:.1%} 的价值",
    ),
    "plots_rfm_segment_xlabel": ("{customers} (label = share of value)", "{customers} (文字 = 价值占比)"),
    "plots_man_title": ("{man} — in priority order", "{man} — 按优先级排列"),
    "plots_ideal_title": ("{ideal} — top {n}", "{ideal} — 前 {n} 名"),
    "plots_whale_title": ("{whale} — peak {peak:.0%} of total profit", "{whale} — 峰值为总利润的 {peak:.0%}"),
    "plots_share_of_accounts": ("share of accounts", "客户占比"),
    "plots_risk_title": ("{big} ≠ ideal customer", "{big} ≠ 理想客户"),
    "plots_small": ("small", "小客户"),
    "plots_yearly_growth": ("yearly sales growth", "年增长率"),
    "plots_rubric_xlabel": ("share of accounts meeting the principle", "符合该原则的客户占比"),
    "plots_channel_xlabel": ("{cpa} (label = return)", "{cpa} (文字 = 投资回报率)"),
    "plots_funnel_title": ("{aidmas} — label = stage-to-stage conversion", "{aidmas} — 文字 = 阶段转化率"),
    "plots_net": ("net", "净效果"),
    "plots_franklin_title": (
        "Franklin balance sheet: {for_buying:.1f} for, {against:.1f} against",
        "富兰克林式表达：支持 {for_buying:.1f}，反对 {against:.1f}",
    ),
    "plots_complaint_steps_title": ("{handling} — median time per step", "{handling} — 各步骤耗时中位数"),
    "plots_sales_cost_saved": ("sales cost saved", "节省的销售成本"),
    "plots_value_kept": ("value kept", "保住的价值"),
    "plots_cost_keep": ("cost to keep them", "保持他们的成本"),
    "plots_cost_replace": ("cost to win as many new", "争取同样多新客户的成本"),
    "plots_retention_title": ("{retention} +{kept:,.0f}", "{retention}：多保持 {kept:,.0f} 位客户"),
    "plots_comp_title": ("{comp}s: what they cost, what they keep", "{comp}：返还成本与保持价值"),
    "plots_assets_yuan": ("assets (yuan)", "资产(元)"),
    "plots_yearly_inflow": ("yearly inflow (potential)", "年流入(潜力)"),
    "plots_lobby_title": ("{lobby} — serving order", "{lobby} — 服务顺序"),
    "plots_timeline_title": (
        "Customer {customer}: purchases, follow-ups and complaints",
        "客户 {customer}：购买、跟进与投诉",
    ),
    # ---- end of plots
    # ---- topic modules: segmentation, qualification, selection, receivables, development,
    #      satisfaction, loyalty (add keys below this line)
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
        "重点发展：交叉销售、提升销售，培养关系。",
    ),
    "seg_strategy_minimise": (
        "Serve through low-cost channels; do not over-invest.",
        "降低成本：通过低成本渠道服务，不过度投入。",
    ),
    # qualification (man_classify, man_table, man_strategies): the strategy of each MAN combination
    "man_strategy_M+A+N": (
        "Ideal prospect: can pay, decides and needs it. Sell now — top priority.",
        "标准潜在客户：买得起、说了算、用得着，是理想的销售对象，应优先开发。",
    ),
    "man_strategy_M+A+n": (
        "Can pay and decides, but no need yet: keep in touch and be ready to sell the moment a need appears.",
        "有能力有决定权但暂无需求：保持跟踪，一旦产生需求立即跟进销售。",
    ),
    "man_strategy_M+a+N": (
        "Can pay and needs it, but this contact does not decide: talk in depth and find the decision maker.",
        "有能力有需求但无决定权：深入沟通，设法找到有决定权的人。",
    ),
    "man_strategy_m+A+N": (
        "Decides and needs it, but short of money: talk in depth and offer credit or instalments if their"
        " credit allows.",
        "有决定权有需求但资金不足：深入沟通，根据信用条件提供融资或分期付款。",
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
        "只有决定权：建档并保持低频联系，资金或需求变化时再重新评估。",
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
        "分析其忠诚度低的原因，提升服务与转换价值，防止关系滑向一般买卖关系，保留客户。",
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
        "了解是什么引发了购买想法，他最清楚需求。",
    ),
    "dev_role_advice_influencer": (
        "Give them facts and proof; they shape the shortlist.",
        "向其提供事实与证据，他影响备选方案。",
    ),
    "dev_role_advice_decider": (
        "Make the business case to them; they say yes or no.",
        "向其说明利益与价值，由他拍板。",
    ),
    "dev_role_advice_buyer": ("Agree terms, delivery and payment with them.", "与其商定价格、交货与付款条件。"),
    "dev_role_advice_user": (
        "Show them it is easy and helps daily work; they judge it after the sale.",
        "让其体验产品的易用与好处，售后评价来自他。",
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
        "最后通牒：委托专业机构催收或诉诸法律，并计提坏账。",
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
    # ---- end of casework, records, datasets
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


def label(key: str, lang: str | None = None) -> str:
    """The label of a glossary key in ``lang`` (default: the current language).

    >>> label("lost", "zh"), label("lost", "en")
    ('流失客户', 'lost customer')
    """
    lang = resolve(lang)
    if key not in GLOSSARY:
        raise CRMDataError("label", "key", f"unknown glossary key {key!r}")
    en, zh, _ = GLOSSARY[key]
    return zh if lang == "zh" else en


def term(key: str) -> str:
    """English term with the Chinese one beside it, for first use in text.

    >>> term("man")
    'MAN rule (MAN法则)'
    """
    if key not in GLOSSARY:
        raise CRMDataError("term", "key", f"unknown glossary key {key!r}")
    en, zh, _ = GLOSSARY[key]
    return f"{en} ({zh})"


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


def glossary(search: str | None = None) -> pd.DataFrame:
    """The glossary as a table (English, 中文, definition), optionally filtered by a search word.

    >>> glossary("MAN").loc["man", "中文"]
    'MAN法则'
    """
    df = pd.DataFrame.from_dict(GLOSSARY, orient="index", columns=["English", "中文", "definition"])
    df = df[df["definition"] != ""]
    df.index.name = "key"
    if search is not None and not isinstance(search, str):
        raise CRMDataError("glossary", "search", f"must be a word to look for, got {search!r}")
    if search:
        s = str(search).lower()
        hit = (
            df["English"].str.lower().str.contains(s, regex=False)
            | df["中文"].str.contains(s, regex=False)
            | df["definition"].str.lower().str.contains(s, regex=False)
        )
        df = df[hit]
    return df


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
