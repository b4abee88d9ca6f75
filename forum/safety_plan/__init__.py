"""A personal safety plan (Stanley and Brown's Safety Planning Intervention).

Members keep one at /safety-plan, for their eyes only; anyone can fill in the same template
and print or download it without an account, nothing stored. The blueprint lives in
``forum.safety_plan.views``; create_app imports it there.
"""
