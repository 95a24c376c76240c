-- Answers on a provisioned cluster; Redshift Serverless refuses STV views, so an error here
-- (other than a lost connection) means Serverless.
SELECT count(*) AS slices FROM stv_slices;
