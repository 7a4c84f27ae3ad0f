//! IAM policy evaluation for SimulatePrincipalPolicy. TODO(helper).
