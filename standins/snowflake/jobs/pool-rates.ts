/**
 * Credits per node-hour of each compute pool instance family, for the stand-in's ACCOUNT_USAGE metering
 * (account-usage-metering.ts): Snowflake's Service Consumption Table
 * (https://www.snowflake.com/legal-files/CreditConsumptionTable.pdf, edition effective 13 January 2026),
 * Table 1(e) "SPCS Compute, CPU", 1(f) "High-Memory", 1(g) "GPU" (the PDF is read through a transcription of that
 * edition; the usage views bill by it: "The credit rate usage is determined based on the machine type (instance
 * family) of the compute pool, as outlined in the consumption table",
 * https://docs.snowflake.com/en/sql-reference/account-usage/snowpark_container_services_history).
 * Families the instance-family pages list without a rate in that table (GEN_X64_G2_*, GEN_ARM_G1_*, MEM_X64_G2_*, …)
 * are absent: the stand-in meters them at 0 (the docs give no figure to model). The stand-in does not import
 * product code: this is its own copy; test/cost/pool-rates.test.ts asserts it agrees with shared/cost/credits.ts.
 */
export const POOL_CREDITS_PER_HOUR: Readonly<Record<string, number>> = {
  CPU_X64_XS: 0.06, CPU_X64_S: 0.11, CPU_X64_M: 0.22, CPU_X64_SL: 0.41, CPU_X64_L: 0.83,
  HIGHMEM_X64_S: 0.28, HIGHMEM_X64_M: 1.11, HIGHMEM_X64_SL: 2.93, HIGHMEM_X64_L: 4.44,
  GPU_NV_XS: 0.25, GPU_GCP_NV_L4_1_24G: 0.43, GPU_NV_S: 0.57, GPU_NV_SM: 1.7, GPU_GCP_NV_L4_4_24G: 1.94, GPU_NV_M: 2.68,
  GPU_NV_2M: 3.5, GPU_NV_3M: 3.55, GPU_GCP_NV_A100_8_40G: 11.68, GPU_NV_SL: 13.5, GPU_NV_L: 14.12,
};
