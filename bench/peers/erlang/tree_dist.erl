%% tree_dist — the BEAM peer of grove's across-workers benchmarks (tree.call,
%% tree.cast): a gen_server on one node, called and cast to from a second
%% node over Erlang distribution (TCP on loopback). bench/tree/run starts
%% both nodes (`erl +S 1`, private epmd port, random cookie):
%%   node B: erl +S 1 -name b@127.0.0.1 ... -s tree_dist serve
%%   node A: erl +S 1 -name a@127.0.0.1 ... -s tree_dist main call b@127.0.0.1 CPUS -s init stop
%% Figures (JSON lines on stdout, system "beam_dist"):
%%   tree.call  round trips/s  gen_server:call({kv, B}, {put, K, V})
%%   tree.cast  msg/s          M x gen_server:cast({kv, B}, {put, K, V}), then
%%                             gen_server:call({kv, B}, {get, LastK}) as the
%%                             barrier (counted in the time)
%% K is a small integer (I band 1023), V a 64-byte binary whose first 8
%% bytes are the sequence number I, so the barrier's reply proves that the
%% last cast arrived and, distribution being ordered, all before it.
%% Each figure: WARMUP_SECONDS of the same work, then TIMED_SECONDS of it
%% (chunks of calls or casts until the time is up; the cast figure's time
%% ends with the barrier's reply). Node B halts when node A disconnects (or
%% when none comes).
-module(tree_dist).
-behaviour(gen_server).
-export([main/1, serve/0, init/1, handle_call/3, handle_cast/2, handle_info/2]).

-define(WARMUP_SECONDS, 0.5).
-define(TIMED_SECONDS, 2.0).
-define(CONNECT_DEADLINE_MS, 10000).

%% ---- node A: the client
main([What, Node, Cpus]) ->
    case wait_for_server(Node, erlang:monotonic_time(millisecond) + ?CONNECT_DEADLINE_MS) of
        ok -> run(What, {kv, Node}, atom_to_list(Cpus));
        {error, Why} ->
            io:format(standard_error, "tree_dist: ~p not reachable: ~p~n", [Node, Why]),
            erlang:halt(1)
    end.

wait_for_server(Node, Deadline) ->
    Up = net_adm:ping(Node) =:= pong andalso
         is_pid(rpc:call(Node, erlang, whereis, [kv], 1000)),
    Late = erlang:monotonic_time(millisecond) > Deadline,
    if Up -> ok;
       Late -> {error, timeout};
       true -> timer:sleep(20), wait_for_server(Node, Deadline)
    end.

run(call, Kv, Cpus) ->
    {_, Warm} = for_seconds(fun(I, End) -> call_n(Kv, I, End) end, 1000, ?WARMUP_SECONDS, 0),
    T0 = erlang:monotonic_time(nanosecond),
    {N, _} = for_seconds(fun(I, End) -> call_n(Kv, I, End) end, 1000, ?TIMED_SECONDS, Warm),
    emit("tree.call", "round trips/s", N / seconds_since(T0), N, Cpus);
run(cast, Kv, Cpus) ->
    {_, Warm} = for_seconds(fun(I, End) -> cast_n(Kv, I, End) end, 10000, ?WARMUP_SECONDS, 0),
    barrier(Kv, Warm - 1),
    T0 = erlang:monotonic_time(nanosecond),
    {M, Last} = for_seconds(fun(I, End) -> cast_n(Kv, I, End) end, 10000, ?TIMED_SECONDS, Warm),
    barrier(Kv, Last - 1),
    emit("tree.cast", "msg/s", M / seconds_since(T0), M, Cpus).

%% Runs Work(I, I + Chunk) chunk after chunk, from sequence number First,
%% until Seconds have passed; returns {how many, the next sequence number}.
for_seconds(Work, Chunk, Seconds, First) ->
    Deadline = erlang:monotonic_time(nanosecond) + round(Seconds * 1.0e9),
    chunks(Work, Chunk, Deadline, First, First).
chunks(Work, Chunk, Deadline, First, I) ->
    ok = Work(I, I + Chunk),
    case erlang:monotonic_time(nanosecond) >= Deadline of
        true -> {I + Chunk - First, I + Chunk};
        false -> chunks(Work, Chunk, Deadline, First, I + Chunk)
    end.

value(I) -> <<I:64, 0:(56 * 8)>>.

call_n(_, N, N) -> ok;
call_n(Kv, I, N) ->
    ok = gen_server:call(Kv, {put, I band 1023, value(I)}),
    call_n(Kv, I + 1, N).

%% The reply carries the last cast's sequence number: it was handled, and
%% every cast before it (distribution keeps order between two processes).
barrier(Kv, Last) ->
    <<Last:64, _/binary>> = gen_server:call(Kv, {get, Last band 1023}, infinity),
    ok.

cast_n(_, M, M) -> ok;
cast_n(Kv, I, M) ->
    gen_server:cast(Kv, {put, I band 1023, value(I)}),
    cast_n(Kv, I + 1, M).

emit(Bench, Unit, Value, Count, Cpus) ->
    io:format("{\"bench\":\"~s\",\"system\":\"beam_dist\",\"unit\":\"~s\",\"value\":~.6g,"
              "\"iterations\":~b,\"payload\":64,\"schedulers\":~b,\"cpus\":\"~s\","
              "\"transport\":\"erlang distribution, TCP loopback\"}~n",
              [Bench, Unit, float(Value), Count, erlang:system_info(schedulers), Cpus]).

seconds_since(T0) -> (erlang:monotonic_time(nanosecond) - T0) / 1.0e9.

%% ---- node B: the server
serve() ->
    {ok, _} = gen_server:start({local, kv}, ?MODULE, [], []),
    ok.

init([]) ->
    ok = net_kernel:monitor_nodes(true),
    %% Nobody came: do not linger.
    erlang:send_after(?CONNECT_DEADLINE_MS * 3, self(), no_client),
    {ok, #{}}.

handle_call({put, K, V}, _From, Map) -> {reply, ok, Map#{K => V}};
handle_call({get, K}, _From, Map) -> {reply, maps:get(K, Map, undefined), Map}.

handle_cast({put, K, V}, Map) -> {noreply, Map#{K => V}}.

%% The client's node went away: the figure is over (or it crashed).
handle_info({nodedown, _}, _Map) -> erlang:halt(0);
handle_info(no_client, Map) ->
    case nodes() of
        [] ->
            io:format(standard_error, "tree_dist: no client within ~b ms~n", [?CONNECT_DEADLINE_MS * 3]),
            erlang:halt(1);
        _ -> {noreply, Map}
    end;
handle_info(_, Map) -> {noreply, Map}.
